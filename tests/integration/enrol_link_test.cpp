// Enrolment through the link emulator against the real server process: the link cuts the
// connection inside the enrolment's answer, after the server committed it. The device tries
// again with the same token and ends up enrolled, with one device row on the server.
#include "server_fixture.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/linkemu/link.hpp>
#include <minga/protocol/codec.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/sync_client.hpp>

#include <catch2/catch.hpp>

using namespace minga::test;

namespace {

constexpr const char* gad = "170151";

/// Byte offsets (both directions, as the link counts them) of one enrolment on one connection:
/// where the enrol answer starts arriving and where the exchange ends.
struct enrol_bytes {
    std::uint64_t answer_from = 0;
    std::uint64_t end = 0;
};

/// Enrols `r` through a fresh transport to `url`; records where the enrol answer lies in the
/// connection's bytes (the transport's own counts: plain HTTP, so the bytes the link carries).
minga::result<minga::enroll_report> enrol(minga::replica& r, const std::string& url, const std::string& token,
                                          enrol_bytes* where = nullptr) {
    auto t = minga::client::http_transport::create(url);
    REQUIRE(t.ok());
    minga::transport_fn fn = [&](std::span<const std::uint8_t> req, std::string_view bearer) {
        auto f = minga::protocol::decode(req);
        const bool is_enrol = f && std::holds_alternative<minga::protocol::enroll>(f->body);
        const auto before = t->bytes_sent() + t->bytes_received();
        const auto sent_before = t->bytes_sent();
        auto resp = t->post(req, bearer);
        if (is_enrol && where) {
            where->answer_from = before + (t->bytes_sent() - sent_before);
            where->end = t->bytes_sent() + t->bytes_received();
        }
        return resp;
    };
    return minga::enroll(r, fn, url, token, "tableta");
}

}  // namespace

TEST_CASE("enrol: an answer cut after the server committed is retried with the same token, one device row",
          "[integration][link]") {
    minga_server server;
    server.start();
    minga_client first, device;
    first.init(gad);
    device.init(gad);
    auto r0 = minga::replica::open(first.data_dir());
    auto r = minga::replica::open(device.data_dir());
    REQUIRE(r0.ok());
    REQUIRE(r.ok());

    // The sizes of an enrolment, from another device's on a link without cuts (same lengths:
    // token, device id, credential, Host header).
    enrol_bytes dry;
    {
        minga::linkemu::link_options lo;
        lo.upstream_port = server.port();
        auto clean = minga::linkemu::link::start(lo);
        REQUIRE(enrol(*r0, clean->url(), server.token(gad), &dry).ok());
    }
    REQUIRE(dry.answer_from > 0);
    REQUIRE(dry.end > dry.answer_from + 40);

    // A seed whose connection 0 is cut inside the enrol answer (past its first bytes, so the
    // transport does not simply send it again) and whose connection 1 is not cut at all.
    const double mean = static_cast<double>(dry.end);
    std::uint64_t seed = 1;
    auto cut_at = [&](std::uint64_t k) { return *minga::linkemu::planned_cut(seed, k, mean); };
    while (!(cut_at(0) > dry.answer_from + 20 && cut_at(0) + 1 < dry.end && cut_at(1) > 4 * dry.end)) ++seed;
    INFO("seed " << seed << ", cut at byte " << cut_at(0) << " of " << dry.end << ", answer from "
                 << dry.answer_from);

    minga::linkemu::link_options lo;
    lo.upstream_port = server.port();
    lo.seed = seed;
    lo.profile.cut_mean_bytes = mean;
    auto link = minga::linkemu::link::start(lo);
    const auto token = server.token(gad);

    auto lost = enrol(*r, link->url(), token);
    REQUIRE_FALSE(lost.ok());
    CHECK(minga::is_transient(lost.err().code));  // "try again later", not "ask for a new token"
    CHECK(link->counters().cuts == 1);
    CHECK(minga::stored_link(*r).credential.empty());  // nothing stored on the device
    auto rows = [&] {
        int n = 0;
        const auto list = server.run_json({"device", "list"});
        INFO(list.dump() << " device " << r->device_id());
        for (const auto& d : list.at("devices"))
            n += d.at("id") == r->device_id() ? 1 : 0;
        return n;
    };
    CHECK(rows() == 1);  // the server did commit the enrolment

    // The same token again from the same device: enrolled, still one row, and it syncs.
    auto again = enrol(*r, link->url(), token);
    if (!again) FAIL(again.err().text("en"));
    CHECK(link->counters().cuts == 1);
    CHECK_FALSE(minga::stored_link(*r).credential.empty());
    CHECK(rows() == 1);
    auto t = minga::client::http_transport::create(server.url());  // straight: the link is done
    REQUIRE(t.ok());
    auto synced = minga::sync(*r, t->as_transport_fn());
    if (!synced) FAIL(synced.err().text("en"));
    CHECK(server.run_json({"device", "list"}).at("count") == 2);  // `first` and this device
}
