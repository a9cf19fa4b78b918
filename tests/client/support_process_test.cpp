// Tests of tests/support/process.hpp itself, on standard system programs: the CLI and
// integration suites rely on it, so it must capture exactly what a child did.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <string>

using namespace minga::test;

namespace {
const fs::path sh = "/bin/sh";
}

TEST_CASE("support: run_process captures stdout and stderr and the exit code separately",
          "[support]") {
    auto r = run_process(sh, {"-c", "printf out; printf err >&2; exit 7"});
    CHECK(r.out == "out");
    CHECK(r.err == "err");
    CHECK(r.exit_code == 7);
    CHECK(r.exited(7));
    CHECK_FALSE(r.exited(0));
    CHECK(r.term_signal == 0);
    CHECK_FALSE(r.timed_out);
}

TEST_CASE("support: arguments reach the child verbatim with no shell in between", "[support]") {
    // Spaces, quotes, globs and $ would all be mangled by a shell.
    std::vector<std::string> args{"-c", "for a; do printf '[%s]' \"$a\"; done", "sh",
                                  "a b", "'q'", "*", "$HOME", ""};
    auto r = run_process(sh, args);
    REQUIRE(r.exited(0));
    CHECK(r.out == "[a b]['q'][*][$HOME][]");
}

TEST_CASE("support: stdin text is delivered whole and then closed", "[support]") {
    std::string big(1 << 20, 'x');  // larger than a pipe buffer
    big += "\nend";
    run_options o;
    o.stdin_text = big;
    auto r = run_process("/bin/cat", {}, o);
    REQUIRE(r.exited(0));
    CHECK(r.out.size() == big.size());
    CHECK(r.out == big);

    SECTION("without stdin text the child reads end of file at once") {
        auto e = run_process("/bin/cat", {});
        CHECK(e.exited(0));
        CHECK(e.out.empty());
    }
    SECTION("a child that never reads its stdin does not kill the test with SIGPIPE") {
        auto t = run_process("/bin/true", {}, o);
        CHECK(t.exited(0));
    }
}

TEST_CASE("support: large output on both streams does not deadlock", "[support]") {
    auto r = run_process(sh, {"-c", "head -c 300000 /dev/zero; head -c 400000 /dev/zero >&2; "
                                    "head -c 300000 /dev/zero"});
    REQUIRE(r.exited(0));
    CHECK(r.out.size() == 600000);
    CHECK(r.err.size() == 400000);
}

TEST_CASE("support: environment overrides set and remove variables", "[support]") {
    ::setenv("MINGA_SUPPORT_TEST_INHERITED", "yes", 1);
    ::setenv("MINGA_SUPPORT_TEST_REMOVED", "present", 1);
    run_options o;
    o.env = {{"MINGA_SUPPORT_TEST_SET", "v=1"}, {"MINGA_SUPPORT_TEST_REMOVED", std::nullopt}};
    auto r = run_process("/usr/bin/env", {}, o);
    REQUIRE(r.exited(0));
    CHECK(r.out.find("MINGA_SUPPORT_TEST_INHERITED=yes\n") != std::string::npos);
    CHECK(r.out.find("MINGA_SUPPORT_TEST_SET=v=1\n") != std::string::npos);
    CHECK(r.out.find("MINGA_SUPPORT_TEST_REMOVED") == std::string::npos);

    SECTION("inherit_env = false starts from an empty environment") {
        run_options bare;
        bare.inherit_env = false;
        bare.env = {{"ONLY", "this"}};
        auto b = run_process("/usr/bin/env", {}, bare);
        REQUIRE(b.exited(0));
        CHECK(b.out == "ONLY=this\n");
    }
    ::unsetenv("MINGA_SUPPORT_TEST_INHERITED");
    ::unsetenv("MINGA_SUPPORT_TEST_REMOVED");
}

TEST_CASE("support: the working directory can be chosen", "[support]") {
    temp_dir d;
    run_options o;
    o.cwd = d.path();
    auto r = run_process("/bin/pwd", {"-P"}, o);
    REQUIRE(r.exited(0));
    CHECK(r.out == fs::canonical(d.path()).string() + "\n");
}

TEST_CASE("support: a child killed by a signal is reported as such", "[support]") {
    auto r = run_process(sh, {"-c", "kill -TERM $$"});
    CHECK(r.term_signal == SIGTERM);
    CHECK(r.exit_code == -1);
    CHECK_FALSE(r.exited(0));
}

TEST_CASE("support: a hung child is killed at its deadline", "[support]") {
    run_options o;
    o.timeout = std::chrono::milliseconds(200);
    // tail -f blocks forever without any sleep of ours; the deadline is only a guard.
    auto r = run_process("/usr/bin/tail", {"-f", "/dev/null"}, o);
    CHECK(r.timed_out);
    CHECK(r.term_signal == SIGKILL);
}

TEST_CASE("support: a program that does not exist is an exception and not an exit code",
          "[support]") {
    CHECK_THROWS_AS(run_process("/nonexistent/minga-no-such-program", {}), std::system_error);
}

TEST_CASE("support: child_process reads the first stdout line and stops the child",
          "[support]") {
    child_process c(sh, {"-c", "echo 'listening on http://127.0.0.1:4242'; echo started >&2; "
                               "echo second; exec tail -f /dev/null"});
    auto line = c.read_line();
    REQUIRE(line);
    CHECK(*line == "listening on http://127.0.0.1:4242");
    CHECK(c.read_line() == std::optional<std::string>("second"));
    CHECK(c.running());
    auto r = c.stop(SIGTERM);
    CHECK(r.term_signal == SIGTERM);
    CHECK_FALSE(r.timed_out);
    CHECK_FALSE(c.running());
    CHECK(r.err == "started\n");
}

TEST_CASE("support: child_process collects a child that exits on its own", "[support]") {
    run_options o;
    o.stdin_text = "from stdin\n";
    child_process c(sh, {"-c", "read x; echo \"got $x\"; echo tail-without-newline | tr -d '\\n'; exit 3"}, o);
    CHECK(c.read_line() == std::optional<std::string>("got from stdin"));
    auto r = c.wait();
    CHECK(r.exited(3));
    CHECK(r.out == "tail-without-newline");
    CHECK(c.read_line() == std::optional<std::string>("tail-without-newline"));
    CHECK_FALSE(c.read_line());
}

TEST_CASE("support: child_process kills a child that ignores SIGTERM at the deadline",
          "[support]") {
    child_process c(sh, {"-c", "trap '' TERM; echo ready; exec tail -f /dev/null"});
    REQUIRE(c.read_line() == std::optional<std::string>("ready"));
    auto r = c.stop(SIGTERM, std::chrono::milliseconds(300));
    CHECK(r.timed_out);
    CHECK(r.term_signal == SIGKILL);
}

TEST_CASE("support: child_process kills a running child when it goes out of scope",
          "[support]") {
    pid_t pid = 0;
    {
        child_process c("/usr/bin/tail", {"-f", "/dev/null"});
        pid = c.pid();
        REQUIRE(c.running());
    }
    // The child was killed and reaped: the pid no longer names a child of ours.
    errno = 0;
    CHECK(::waitpid(pid, nullptr, WNOHANG) == -1);
    CHECK(errno == ECHILD);
}

TEST_CASE("support: temp_dir makes a private directory and removes it with its contents",
          "[support]") {
    fs::path where;
    {
        temp_dir a;
        temp_dir b;
        where = a.path();
        CHECK(fs::is_directory(where));
        CHECK(where.parent_path() == fs::temp_directory_path());
        CHECK(a.path() != b.path());
        fs::create_directories(a / "x" / "y");
        std::ofstream(a / "x" / "y" / "f.txt") << "data";
    }
    CHECK_FALSE(fs::exists(where));
}

TEST_CASE("support: the binaries under test are where the build puts them", "[support]") {
    CHECK(minga_bin() == fs::path(MINGA_BIN_DIR) / "client" / "minga");
    CHECK(minga_server_bin() == fs::path(MINGA_BIN_DIR) / "server" / "minga-server");
    CHECK(fs::exists(minga_bin()));
}

TEST_CASE("support: the minga binary under test is not older than the libraries it is built from",
          "[support]") {
    // `ninja test_client` does not rebuild `minga` (the tests run it as a program, so there is
    // no link dependency): build the `minga` target too, or everything (`ninja`).
    auto bin = fs::last_write_time(minga_bin());
    for (const char* lib : {"shared/libminga_shared.a", "client/libminga_client.a"}) {
        auto p = fs::path(MINGA_BIN_DIR) / lib;
        if (!fs::exists(p)) continue;
        INFO(minga_bin().string() << " is older than " << p.string() << ": run `ninja -C "
                                  << MINGA_BIN_DIR << " minga`");
        CHECK(bin >= fs::last_write_time(p));
    }
}
