// The syncer against the real server process: a server stalled past --max-time, killed between
// batches or after applying a batch but before answering (then restarted on the same store),
// and a revoked device re-enrolled. Progress and messages are read from real `minga` runs.
#include "server_fixture.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/protocol/codec.hpp>
#include <minga/shared/replica.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <set>

using namespace minga::test;

namespace {

constexpr const char* gad_a = "170151";

/// `minga-server serve` on `data` (the store of a minga_server), on `listen`.
struct served {
    std::unique_ptr<child_process> proc;
    std::string url;
    std::string port;
};

served serve(const minga_server& s, const std::string& listen = "127.0.0.1:0") {
    run_options o;
    o.env = {{"MINGA_DATA", std::nullopt}, {"MINGA_LANG", std::nullopt}};
    auto p = std::make_unique<child_process>(
        minga_server_bin(), std::vector<std::string>{"--data", s.data_dir().string(), "serve", "--listen", listen}, o);
    auto line = p->read_line();
    const std::string prefix = "listening on ";
    if (!line || line->rfind(prefix, 0) != 0)
        throw std::runtime_error("minga-server did not print its address:\n" + p->stderr_text());
    std::string url = line->substr(prefix.size());
    std::string port = url.substr(url.rfind(':') + 1);
    return {std::move(p), url, port};
}

std::string token(const minga_server& s, const std::string& gad) {
    return s.run_json({"device", "enroll", "--gad", gad}).at("token").get<std::string>();
}

/// An indicator with `n` observations, recorded offline through the CLI (n + 3 changes).
void record(const minga_client& c, int n) {
    auto ag = c.add({"agreement", "add", "--title", "Convenio de riego", "--kind", "convenio_especifico", "--status",
                     "vigente"});
    auto pr = c.add({"project", "add", "--title", "Riego", "--agreement", ag, "--modality", "fin_no_reembolsable"});
    auto ind = c.add({"indicator", "add", "--project", pr, "--title", "Hectáreas regadas", "--unit", "ha"});
    std::string csv = "indicator,value,date\n";
    for (int i = 0; i < n; ++i) csv += ind + "," + std::to_string(i) + ",2025-0" + std::to_string(1 + i % 9) + "-15\n";
    auto r = c.run_json({"import", c.write_file("obs.csv", csv).string()});
    INFO(r.describe());
    REQUIRE(r.exited(0));
}

std::int64_t pending(const minga_client& c) { return ok_json(c, {"status"}).at("pending_changes").get<std::int64_t>(); }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("sync cli: --max-time ends a stalled sync with exit 75, then the next sync shows progress and finishes",
          "[integration]") {
    minga_server server;
    auto srv = serve(server);
    minga_client c;
    c.init(gad_a);
    ok_json(c, {"enroll", "--server", srv.url, "--token", token(server, gad_a), "--pin", server.pin()});
    record(c, 1200);
    REQUIRE(pending(c) == 1203);
    // Out-of-range options are usage errors (exit 2) naming the option, and nothing is sent.
    for (const auto& bad : std::vector<std::vector<std::string>>{
             {"sync", "--max-time", "0"}, {"sync", "--retries", "21"}, {"sync", "--max-time", "diez"}}) {
        auto r = c.run(bad);
        INFO(r.describe());
        CHECK(r.exited(2));
        CHECK(has(r.err, bad[1]));
    }

    // The server hangs (SIGSTOP): the request's timeouts are bounded by --max-time.
    srv.proc->signal(SIGSTOP);
    auto stalled = c.run({"sync", "--max-time", "2"});
    INFO(stalled.describe());
    CHECK(stalled.exited(75));
    CHECK_FALSE(stalled.timed_out);
    CHECK(has(stalled.err, "Se detuvo al llegar al tiempo máximo (--max-time 2 s)"));
    CHECK(has(stalled.err, "se enviaron 0 de 1.203 cambios; la descarga aún no empezó"));
    CHECK(has(stalled.err, "1.203 cambio(s) siguen pendientes; la próxima `minga sync` continúa desde aquí"));
    auto doc = c.run_json({"sync", "--max-time", "1"});
    CHECK(doc.exited(75));
    auto j = json_of(doc);
    CHECK(j.at("stopped_by_deadline") == true);
    CHECK(j.at("ok") == false);
    CHECK(j.at("pushed") == 0);
    CHECK(j.at("pending_changes") == 1203);
    srv.proc->signal(SIGCONT);
    CHECK(pending(c) == 1203);

    auto full = c.run({"sync", "--progress"});
    INFO(full.describe());
    REQUIRE(full.exited(0));
    CHECK(has(full.err, "Enviando cambios: 50 de 1.203 (4 %)\n"));
    CHECK(has(full.err, "Enviando cambios: 1.203 de 1.203 (100 %)\n"));
    CHECK(has(full.err, "Recibiendo: página 1, "));
    CHECK(has(full.out, "Sincronización completa: 1.203 enviado(s)"));
    CHECK(pending(c) == 0);

    // A second device receives it all, in English, with a JSON summary.
    minga_client b;
    b.init(gad_a);
    ok_json(b, {"enroll", "--server", srv.url, "--token", token(server, gad_a), "--pin", server.pin()});
    auto en = b.run({"--lang", "en", "--json", "sync", "--progress"});
    INFO(en.describe());
    REQUIRE(en.exited(0));
    CHECK(has(en.err, "Receiving: page 1, "));
    CHECK(has(en.err, " rows of ~1,203\n"));
    auto summary = json_of(en);
    CHECK(summary.at("ok") == true);
    CHECK(summary.at("pulled") == 1203);
    CHECK(summary.at("pages").get<int>() >= 2);  // the first page is small, then they grow
    CHECK(summary.at("retries") == 0);
    CHECK(summary.at("stopped_by_deadline") == false);
    CHECK(summary.at("requests").get<int>() == summary.at("pages").get<int>());
    CHECK(summary.at("bytes_received").get<std::int64_t>() > 0);
    CHECK(client_digest(b) == client_digest(c));
    CHECK(client_digest(b) == server.digest(gad_a));
}

TEST_CASE("sync: the server dies mid-sync and restarts on the same store, and the same sync resumes",
          "[integration]") {
    minga_server server;
    auto srv = serve(server);
    minga_client c;
    c.init(gad_a);
    ok_json(c, {"enroll", "--server", srv.url, "--token", token(server, gad_a), "--pin", server.pin()});
    record(c, 600);
    const bool answer_lost = GENERATE(false, true);
    INFO((answer_lost ? "killed after applying a batch, before answering" : "killed between batches"));

    auto r = minga::replica::open(c.data_dir());
    REQUIRE(r.ok());
    minga::client::transport_options pinned;  // the server's own certificate, as enrolled
    pinned.trust.pin = server.pin();
    auto t = minga::client::http_transport::create(srv.url, pinned);
    REQUIRE(t.ok());
    int pushes = 0, restarts = 0;
    std::vector<std::uint64_t> received;  // change seqs the server answered for
    minga::transport_fn fn = [&](std::span<const std::uint8_t> req, std::string_view bearer)
        -> minga::result<std::vector<std::uint8_t>> {
        auto f = minga::protocol::decode(req);
        const auto* push = f ? std::get_if<minga::protocol::push>(&f->body) : nullptr;
        auto resp = t->post(req, bearer);
        if (push && resp) {
            for (const auto& ch : push->changes) received.push_back(ch.seq);
            if (++pushes == 2) {
                // SIGKILL: no clean stop, whatever the server was doing.
                auto killed = srv.proc->stop(SIGKILL);
                CHECK(killed.term_signal == SIGKILL);
                if (answer_lost) return minga::make_error(minga::errc::unavailable, "", "cortado", "cut");
            }
        }
        return resp;
    };
    minga::sync_options o;
    o.sleep = [&](std::chrono::milliseconds) {
        // The wait before the retry: the server comes back on the same port and store.
        srv = serve(server, "127.0.0.1:" + srv.port);
        ++restarts;
        auto fresh = minga::client::http_transport::create(srv.url, pinned);
        REQUIRE(fresh.ok());
        t = std::move(fresh);
    };
    auto rep = minga::sync(*r, fn, o);
    if (!rep) FAIL(rep.err().text("en"));
    CHECK(restarts == 1);
    CHECK(rep->retries == 1);
    CHECK(rep->pushed == 603);
    CHECK(r->changes().pending_count() == 0);
    // Nothing went twice, except (when its answer was lost) part of the one batch in flight.
    const std::set<std::uint64_t> distinct(received.begin(), received.end());
    CHECK(distinct.size() == 603);
    if (answer_lost) {
        CHECK(received.size() > distinct.size());
        // At most the second batch (the first, then up to max_growth times as many).
        CHECK(received.size() - distinct.size() <= minga::sync_tuning::first_push_batch * minga::sync_tuning::max_growth);
    } else {
        CHECK(received.size() == distinct.size());
    }
    CHECK(client_digest(c) == server.digest(gad_a));
    CHECK(ok_json(c, {"sync"}).at("pushed") == 0);
}

TEST_CASE("sync cli: a revoked device keeps its changes, says what to do, and sends them after re-enrolment",
          "[integration]") {
    minga_server server;
    auto srv = serve(server);
    minga_client c;
    const std::string id = c.init(gad_a);
    ok_json(c, {"enroll", "--server", srv.url, "--token", token(server, gad_a), "--pin", server.pin()});
    record(c, 5);
    ok_json(c, {"sync"});
    REQUIRE(server.run({"device", "revoke", id}).exited(0));

    record(c, 4);  // offline work while revoked: 7 changes
    auto refused = c.run({"sync"});
    INFO(refused.describe());
    CHECK(refused.exited(2));
    CHECK(has(refused.err, "este dispositivo fue revocado o su credencial caducó"));
    CHECK(has(refused.err, "Pida a la oficina central un nuevo código de inscripción y ejecute `minga enroll --server " +
                               srv.url + " --token CÓDIGO`"));
    CHECK(has(refused.err, "sus 7 cambio(s) pendiente(s) se conservan y se enviarán"));
    auto refused_en = c.run({"--lang", "en", "sync"});
    CHECK(has(refused_en.err, "its 7 pending change(s) are kept and will be sent"));
    CHECK(pending(c) == 7);

    auto again = ok_json(c, {"enroll", "--server", srv.url, "--token", token(server, gad_a), "--pin", server.pin()});
    CHECK(again.at("pending_changes") == 7);
    auto done = ok_json(c, {"sync"});
    CHECK(done.at("pushed") == 7);
    CHECK(done.at("conflicts") == 0);
    CHECK(pending(c) == 0);
    CHECK(client_digest(c) == server.digest(gad_a));
    // One server row for the device, active again (not a second device).
    int rows = 0;
    const auto list = server.run_json({"device", "list"});
    INFO(list.dump());
    for (const auto& d : list.at("devices"))
        if (d.at("id") == id) {
            ++rows;
            CHECK(d.at("status") == "activo");
        }
    CHECK(rows == 1);
}
