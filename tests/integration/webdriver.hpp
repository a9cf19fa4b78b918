#pragma once
// Integration support: a small W3C WebDriver client (chromedriver over HTTP on 127.0.0.1,
// JSON with nlohmann) for driving a real headless Chromium. One session; each call is one
// HTTP request; a WebDriver error throws with its message.
#include "process.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace minga::test {

class webdriver {
public:
    /// Starts chromedriver on a free port and a headless Chromium session at 1366x768.
    webdriver(const fs::path& chromedriver, const fs::path& chromium, const fs::path& profile) {
        run_options o;
        o.timeout = std::chrono::minutes(3);
        driver_.emplace(chromedriver, std::vector<std::string>{"--port=0"}, o);
        for (int i = 0; i < 10 && port_ == 0; ++i) {
            auto line = driver_->read_line();
            if (!line) break;
            const std::string mark = "started successfully on port ";
            if (auto at = line->find(mark); at != std::string::npos)
                port_ = static_cast<std::uint16_t>(std::stoul(line->substr(at + mark.size())));
        }
        if (port_ == 0) throw std::runtime_error("chromedriver did not start: " + driver_->stderr_text());
        nlohmann::json caps = {
            {"capabilities",
             {{"alwaysMatch",
               {{"goog:chromeOptions",
                 {{"binary", chromium.string()},
                  {"args", {"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--window-size=1366,768", "--lang=es",
                            "--user-data-dir=" + profile.string()}}}}}}}}};
        session_ = call("POST", "/session", caps).at("sessionId").get<std::string>();
    }
    ~webdriver() {
        try {
            if (!session_.empty()) call("DELETE", "/session/" + session_, nullptr);
        } catch (const std::exception&) {
            // the browser is gone already; chromedriver is stopped below either way
        }
        if (driver_) driver_->stop();
    }

    void go(const std::string& url) { cmd("POST", "/url", {{"url", url}}); }
    [[nodiscard]] std::string url() { return cmd("GET", "/url", nullptr).get<std::string>(); }
    [[nodiscard]] std::string source() { return cmd("GET", "/source", nullptr).get<std::string>(); }
    /// The first element matching CSS `selector` (throws when none).
    [[nodiscard]] std::string find(const std::string& selector) {
        auto v = cmd("POST", "/element", {{"using", "css selector"}, {"value", selector}});
        return v.begin().value().get<std::string>();
    }
    [[nodiscard]] std::size_t count(const std::string& selector) {
        return cmd("POST", "/elements", {{"using", "css selector"}, {"value", selector}}).size();
    }
    void type(const std::string& selector, const std::string& text) {
        const auto e = find(selector);
        cmd("POST", "/element/" + e + "/clear", nlohmann::json::object());
        cmd("POST", "/element/" + e + "/value", {{"text", text}});
    }
    /// Clicks `selector` and waits until a new page has loaded (a form post and its redirect):
    /// the old document carries a mark that the new one does not. Throws after 30 s.
    void submit(const std::string& selector) {
        script("window.mingaOld = true;");
        click(selector);
        for (int i = 0; i < 3000; ++i) {
            if (script("return window.mingaOld === undefined && document.readyState === 'complete';") == true) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        throw std::runtime_error("no new page after clicking " + selector);
    }
    nlohmann::json script(const std::string& js) {
        return cmd("POST", "/execute/sync", {{"script", js}, {"args", nlohmann::json::array()}});
    }
    void click(const std::string& selector) { cmd("POST", "/element/" + find(selector) + "/click", nlohmann::json::object()); }
    /// Sets a field's value by script (date inputs, whose typed format follows the locale).
    void set_value(const std::string& selector, const std::string& value) {
        cmd("POST", "/execute/sync",
            {{"script", "document.querySelector(arguments[0]).value = arguments[1];"}, {"args", {selector, value}}});
    }
    void set_nth_value(const std::string& name, int n, const std::string& value) {
        cmd("POST", "/execute/sync",
            {{"script", "document.getElementsByName(arguments[0])[arguments[1]].value = arguments[2];"},
             {"args", {name, n, value}}});
    }
    /// The element focused now (its id attribute).
    [[nodiscard]] std::string focused_id() {
        return cmd("POST", "/execute/sync", {{"script", "return document.activeElement.id;"}, {"args", nlohmann::json::array()}})
            .get<std::string>();
    }
    /// A PNG of the page, written to `file`.
    void screenshot(const fs::path& file) {
        const auto png = decode_base64(cmd("GET", "/screenshot", nullptr).get<std::string>());
        std::ofstream out(file, std::ios::binary);
        out.write(png.data(), static_cast<std::streamsize>(png.size()));
    }

    /// The page printed to PDF (A4, backgrounds off), written to `file`.
    void print_pdf(const fs::path& file) {
        const auto pdf = decode_base64(cmd("POST", "/print", nlohmann::json::object()).get<std::string>());
        std::ofstream out(file, std::ios::binary);
        out.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
    }

private:
    nlohmann::json cmd(const std::string& method, const std::string& path, const nlohmann::json& body) {
        return call(method, "/session/" + session_ + path, body).at("value");
    }

    nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json& body) {
        namespace http = boost::beast::http;
        boost::asio::io_context io;
        boost::beast::tcp_stream s(io);
        s.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
        http::request<http::string_body> req{http::string_to_verb(method), path, 11};
        req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
        req.set(http::field::content_type, "application/json");
        if (!body.is_null()) req.body() = body.dump();
        req.prepare_payload();
        http::write(s, req);
        boost::beast::flat_buffer buf;
        http::response<http::string_body> res;
        http::read(s, buf, res);
        boost::beast::error_code ignored;
        s.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        auto doc = nlohmann::json::parse(res.body());
        if (res.result() != http::status::ok)
            throw std::runtime_error("webdriver " + method + " " + path + ": " + doc.dump().substr(0, 600));
        if (path == "/session") return doc.at("value");
        return doc;
    }

    static std::string decode_base64(const std::string& in) {
        std::string out;
        int val = 0, bits = -8;
        for (unsigned char c : in) {
            int d = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
                  : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
            if (d < 0) continue;
            val = (val << 6) + d;
            bits += 6;
            if (bits >= 0) {
                out.push_back(static_cast<char>((val >> bits) & 0xFF));
                bits -= 8;
            }
        }
        return out;
    }

    std::optional<child_process> driver_;
    std::uint16_t port_ = 0;
    std::string session_;
};

}  // namespace minga::test
