#include "http_headers.hpp"

namespace minga::server {

namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_msgpack_type(std::string_view content_type) noexcept {
    const auto media = trim(content_type.substr(0, content_type.find(';')));
    return iequals(media, "application/msgpack") || iequals(media, "application/x-msgpack");
}

bool accepts_zstd(std::string_view accept_encoding) noexcept {
    while (!accept_encoding.empty()) {
        const auto comma = accept_encoding.find(',');
        const auto item = accept_encoding.substr(0, comma);
        accept_encoding = comma == std::string_view::npos ? std::string_view{}
                                                          : accept_encoding.substr(comma + 1);
        const auto semi = item.find(';');
        if (!iequals(trim(item.substr(0, semi)), "zstd")) continue;
        if (semi == std::string_view::npos) return true;
        auto q = trim(item.substr(semi + 1));
        if (q.size() < 2 || lower(q[0]) != 'q' || q[1] != '=') return true;
        q.remove_prefix(2);
        // q=0, q=0.0, q=0.000 refuse the coding; anything else accepts it.
        bool zero = !q.empty() && q[0] == '0';
        for (std::size_t i = 1; zero && i < q.size(); ++i) zero = q[i] == '0' || (i == 1 && q[i] == '.');
        return !zero;
    }
    return false;
}

std::string bearer_of(std::string_view authorization) {
    const auto v = trim(authorization);
    if (v.size() < 7 || !iequals(v.substr(0, 6), "bearer") || (v[6] != ' ' && v[6] != '\t'))
        return {};
    return std::string(trim(v.substr(7)));
}

std::string_view path_of(std::string_view target) noexcept {
    return target.substr(0, target.find_first_of("?#"));
}

}  // namespace minga::server
