// The store executor: one thread, a bounded queue, completions posted to the caller's strand.
#include "server_fixture.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <catch2/catch.hpp>

using namespace minga;
using namespace minga::test;

namespace {

struct throwing_backend final : server::store_backend {
    bytes handle(std::span<const std::uint8_t>, std::string_view) override {
        throw std::runtime_error("disk I/O error");
    }
};

}  // namespace

TEST_CASE("store executor: a full queue refuses at once with busy, and the queued jobs still run",
          "[server][store]") {
    gate g;
    std::ostringstream log;
    server::log_sink sink(log);
    server::store_executor store(std::make_unique<gated_backend>(g),
                                 server::store_executor_options{2, "es"}, server::logger(sink, "store"));
    net::io_context ioc;
    auto strand = net::make_strand(ioc);
    std::vector<std::size_t> replies;
    auto submit = [&](std::size_t n) {
        return store.submit(bytes(n, 0x01), "", strand, [&](server::store_reply r) {
            CHECK(strand.running_in_this_thread());
            replies.push_back(r.body.size());
        });
    };
    REQUIRE(submit(1).ok());  // taken by the store thread, which waits at the gate
    REQUIRE(g.wait_arrived(1));
    REQUIRE(submit(2).ok());  // queued
    REQUIRE(submit(3).ok());  // queued: the queue (2) is now full
    CHECK(store.queued() == 2);
    auto refused = submit(4);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.err().code == errc::busy);
    CHECK_FALSE(refused.err().es.empty());

    g.open();
    ioc.run();  // returns once the three accepted jobs have posted their completions
    CHECK(replies == std::vector<std::size_t>{1, 2, 3});
    store.stop();
}

TEST_CASE("store executor: stop runs what is queued, then refuses new jobs", "[server][store]") {
    gate g;
    std::ostringstream log;
    server::log_sink sink(log);
    server::store_executor store(std::make_unique<gated_backend>(g),
                                 server::store_executor_options{4, "es"}, server::logger(sink, "store"));
    net::io_context ioc;
    int done = 0;
    for (int i = 0; i < 3; ++i)
        REQUIRE(store.submit(bytes{1}, "", ioc.get_executor(), [&](server::store_reply) { ++done; }).ok());
    REQUIRE(g.wait_arrived(1));
    std::thread stopper([&] { store.stop(); });
    g.open();
    stopper.join();
    ioc.run();
    CHECK(done == 3);
    auto late = store.submit(bytes{1}, "", ioc.get_executor(), [&](server::store_reply) { ++done; });
    REQUIRE_FALSE(late.ok());
    CHECK(late.err().code == errc::unavailable);
    store.stop();  // idempotent
    CHECK(done == 3);
}

TEST_CASE("store executor: a backend that throws answers an internal error frame and goes on",
          "[server][store]") {
    std::ostringstream log;
    server::log_sink sink(log);
    server::store_executor store(std::make_unique<throwing_backend>(),
                                 server::store_executor_options{4, "en"}, server::logger(sink, "store"));
    net::io_context ioc;
    std::vector<server::store_reply> replies;
    for (int i = 0; i < 2; ++i)
        REQUIRE(store.submit(bytes{1}, "secret-credential", ioc.get_executor(),
                             [&](server::store_reply r) { replies.push_back(std::move(r)); }).ok());
    ioc.run();
    store.stop();
    REQUIRE(replies.size() == 2);
    for (const auto& r : replies) {
        CHECK(r.code == errc::internal);
        auto f = protocol::decode(r.body);
        REQUIRE(f.ok());
        REQUIRE(std::holds_alternative<protocol::error_body>(f->body));
        CHECK(std::get<protocol::error_body>(f->body).code == errc::internal);
    }
    CHECK(log.str().find("disk I/O error") != std::string::npos);
    CHECK(log.str().find("secret-credential") == std::string::npos);
}

TEST_CASE("store executor: the reply carries the code of an error frame", "[server][store]") {
    std::ostringstream log;
    server::log_sink sink(log);
    server::store_executor store(std::make_unique<echo_backend>(),
                                 server::store_executor_options{4, "es"}, server::logger(sink, "store"));
    net::io_context ioc;
    std::vector<errc> codes;
    REQUIRE(store.submit(hello_frame(), "", ioc.get_executor(),
                         [&](server::store_reply r) { codes.push_back(r.code); }).ok());
    REQUIRE(store.submit(bytes{0xc1}, "", ioc.get_executor(),
                         [&](server::store_reply r) { codes.push_back(r.code); }).ok());
    ioc.run();
    store.stop();
    CHECK(codes == std::vector<errc>{errc::ok, errc::bad_frame});
}

TEST_CASE("store executor: a task runs on the store thread in queue order and its completion "
          "comes even when it throws", "[server][store]") {
    std::ostringstream log;
    server::log_sink sink(log);
    server::store_executor store(std::make_unique<echo_backend>(), server::store_executor_options{4, "es"},
                                 server::logger(sink, "store"));
    net::io_context ioc;
    auto strand = net::make_strand(ioc);
    std::vector<std::string> order;  // written on the strand only
    std::thread::id store_thread;
    bool saw_backend = false;
    REQUIRE(store.submit(bytes{0xc0}, "", strand, [&](server::store_reply) { order.push_back("request"); }).ok());
    REQUIRE(store
                .submit_task(
                    [&](server::store_backend& b) {
                        store_thread = std::this_thread::get_id();
                        saw_backend = dynamic_cast<echo_backend*>(&b) != nullptr && b.store() == nullptr;
                    },
                    strand, [&] { order.push_back("task"); })
                .ok());
    REQUIRE(store.submit_task([](server::store_backend&) { throw std::runtime_error("disk I/O error"); }, strand,
                              [&] { order.push_back("thrown"); })
                .ok());
    ioc.run();
    store.stop();
    CHECK(order == std::vector<std::string>{"request", "task", "thrown"});
    CHECK(saw_backend);
    CHECK(store_thread != std::this_thread::get_id());
    CHECK(log.str().find("disk I/O error") != std::string::npos);
}
