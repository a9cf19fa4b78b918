#pragma once
/// Test support: run real programs (the `minga` client, later `minga-server`) as child
/// processes, with no shell and no sleeps, and scratch directories that clean up after
/// themselves.
///
/// - `run_process()` runs a program to completion: arguments as given (no shell quoting),
///   environment inherited with per-call overrides, optional stdin text, and stdout, stderr
///   and the exit status captured. stdout and stderr are read together with poll(), so a child
///   that writes a lot to either never deadlocks against us.
/// - `child_process` starts a long-running program (a server), reads its stdout line by line
///   (e.g. "listening on http://127.0.0.1:PORT"), and stops it with a signal; its destructor
///   kills and reaps a child that is still running, so a failing test never leaks one.
/// - `temp_dir` makes a fresh directory under /tmp (mkdtemp) and removes it with its contents
///   when it goes out of scope (set MINGA_KEEP_TEST_DIRS=1 to keep them for a post-mortem).
///
/// Every wait is bounded by a deadline (a guard against a hung child, never a timing
/// assertion): a child still running at its deadline is killed with SIGKILL and the result says
/// `timed_out`. Throws `std::system_error` when the environment is broken (no fork, no pipe,
/// the program does not exist). Not thread-safe per object; separate objects may be used from
/// separate threads.
///
/// Header-only on purpose: tests/CMakeLists.txt puts tests/support on the include path of every
/// test executable but compiles no sources from it.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

extern char** environ;

namespace minga::test {

namespace fs = std::filesystem;

/// The build tree's binaries (MINGA_BIN_DIR is set by tests/CMakeLists.txt).
#ifdef MINGA_BIN_DIR
[[nodiscard]] inline fs::path bin_dir() { return fs::path(MINGA_BIN_DIR); }
#else
[[nodiscard]] inline fs::path bin_dir() {
    const char* d = std::getenv("MINGA_BIN_DIR");
    return fs::path(d && *d ? d : ".");
}
#endif
[[nodiscard]] inline fs::path minga_bin() { return bin_dir() / "client" / "minga"; }
[[nodiscard]] inline fs::path minga_server_bin() { return bin_dir() / "server" / "minga-server"; }

/// How to run a child.
struct run_options {
    /// Environment changes on top of the inherited one: a value sets the variable, nullopt
    /// removes it.
    std::vector<std::pair<std::string, std::optional<std::string>>> env;
    /// False: start from an empty environment (then only `env` is set).
    bool inherit_env = true;
    /// Text written to the child's stdin, which is then closed; nullopt: stdin is /dev/null.
    std::optional<std::string> stdin_text;
    /// Working directory of the child; empty: ours.
    fs::path cwd;
    /// Guard against a hung child: after this long it is killed (SIGKILL).
    std::chrono::milliseconds timeout{std::chrono::minutes(2)};
};

/// What a finished child left behind.
struct process_result {
    int exit_code = -1;    ///< exit status, or -1 when a signal ended the child
    int term_signal = 0;   ///< the signal that ended the child, 0 when it exited
    bool timed_out = false;
    std::string out;       ///< everything written to stdout
    std::string err;       ///< everything written to stderr

    [[nodiscard]] bool exited(int code) const noexcept {
        return term_signal == 0 && exit_code == code;
    }
    /// A one-paragraph description for test failure messages.
    [[nodiscard]] std::string describe() const {
        std::string s = "exit=" + std::to_string(exit_code);
        if (term_signal) s += " signal=" + std::to_string(term_signal);
        if (timed_out) s += " (timed out)";
        s += "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        return s;
    }
};

namespace detail {

[[noreturn]] inline void throw_errno(int e, const std::string& what) {
    throw std::system_error(e, std::generic_category(), what);
}

/// An owned file descriptor.
class fd {
public:
    fd() = default;
    explicit fd(int v) noexcept : v_(v) {}
    fd(fd&& o) noexcept : v_(std::exchange(o.v_, -1)) {}
    fd& operator=(fd&& o) noexcept {
        if (this != &o) {
            reset();
            v_ = std::exchange(o.v_, -1);
        }
        return *this;
    }
    fd(const fd&) = delete;
    fd& operator=(const fd&) = delete;
    ~fd() { reset(); }

    [[nodiscard]] int get() const noexcept { return v_; }
    [[nodiscard]] bool valid() const noexcept { return v_ >= 0; }
    void reset() noexcept {
        if (v_ >= 0) ::close(v_);
        v_ = -1;
    }

private:
    int v_ = -1;
};

/// A pipe whose both ends are close-on-exec (the child gets only what dup2 gives it).
inline std::pair<fd, fd> make_pipe() {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) throw_errno(errno, "pipe2");
    return {fd(p[0]), fd(p[1])};
}

/// An anonymous temporary file (already unlinked), close-on-exec.
inline fd make_anon_file() {
    std::string name = (fs::temp_directory_path() / "minga-test-XXXXXX").string();
    int f = ::mkostemp(name.data(), O_CLOEXEC);
    if (f < 0) throw_errno(errno, "mkostemp");
    ::unlink(name.c_str());
    return fd(f);
}

inline void set_nonblocking(int f) {
    int flags = ::fcntl(f, F_GETFL);
    if (flags < 0 || ::fcntl(f, F_SETFL, flags | O_NONBLOCK) != 0) throw_errno(errno, "fcntl");
}

/// write() that reports EPIPE as an error instead of raising SIGPIPE in the test process:
/// SIGPIPE is blocked for this thread during the write and a pending one is consumed.
inline ssize_t write_no_sigpipe(int f, const char* data, std::size_t n) {
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t w = ::write(f, data, n);
    int saved = errno;
    if (w < 0 && saved == EPIPE) {
        const timespec zero{0, 0};
        while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = saved;
    return w;
}

/// Reads what is available from `f` into `out`; false at end of file.
inline bool read_some(int f, std::string& out) {
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(f, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return true;
        throw_errno(errno, "read");
    }
}

/// The environment block for a child: ours (or none) with `changes` applied.
inline std::vector<std::string> make_env(const run_options& o) {
    std::vector<std::string> env;
    if (o.inherit_env)
        for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    for (const auto& [name, value] : o.env) {
        std::string prefix = name + "=";
        std::erase_if(env, [&](const std::string& kv) { return kv.starts_with(prefix); });
        if (value) env.push_back(prefix + *value);
    }
    return env;
}

inline std::vector<char*> c_strings(std::vector<std::string>& v) {
    std::vector<char*> out;
    out.reserve(v.size() + 1);
    for (auto& s : v) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

/// The child's standard streams as file descriptors of ours (-1: /dev/null).
struct child_stdio {
    int in = -1;
    int out = -1;
    int err = -1;
};

/// posix_spawn with the given stdio, default signal dispositions and an empty signal mask (so a
/// test runner that ignores or blocks signals does not pass that on to the child).
inline pid_t spawn(const fs::path& exe, const std::vector<std::string>& args, const run_options& o,
                   const child_stdio& io) {
    std::vector<std::string> argv_s;
    argv_s.push_back(exe.string());
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    auto env_s = make_env(o);
    auto argv = c_strings(argv_s);
    auto envp = c_strings(env_s);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    auto stream = [&](int from, int to, int flags) {
        if (from >= 0) posix_spawn_file_actions_adddup2(&fa, from, to);
        else posix_spawn_file_actions_addopen(&fa, to, "/dev/null", flags, 0);
    };
    stream(io.in, 0, O_RDONLY);
    stream(io.out, 1, O_WRONLY);
    stream(io.err, 2, O_WRONLY);
    if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, o.cwd.c_str());

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, exe.c_str(), &fa, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw_errno(rc, "posix_spawn " + exe.string());
    return pid;
}

/// A pollable descriptor that becomes readable when `pid` exits (Linux pidfd); invalid when
/// the kernel does not offer it, and callers then fall back to a blocking waitpid.
inline fd pid_fd(pid_t pid) noexcept {
#ifdef SYS_pidfd_open
    long f = ::syscall(SYS_pidfd_open, pid, 0);
    if (f >= 0) return fd(static_cast<int>(f));
#endif
    (void)pid;
    return fd();
}

inline void decode_status(int status, process_result& r) {
    if (WIFEXITED(status)) {
        r.exit_code = WEXITSTATUS(status);
        r.term_signal = 0;
    } else if (WIFSIGNALED(status)) {
        r.exit_code = -1;
        r.term_signal = WTERMSIG(status);
    }
}

/// Blocking waitpid that survives EINTR; returns the raw status.
inline int wait_blocking(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw_errno(errno, "waitpid");
    }
    return status;
}

using clock = std::chrono::steady_clock;

/// Milliseconds left until `deadline`, for poll() (0 when passed).
inline int ms_left(clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) return 0;
    return left > 60'000 ? 60'000 : static_cast<int>(left);
}

}  // namespace detail

/// Runs `exe` with `args` to completion and returns what it printed and how it ended.
[[nodiscard]] inline process_result run_process(const fs::path& exe,
                                                const std::vector<std::string>& args,
                                                const run_options& o = {}) {
    using namespace detail;
    auto [out_r, out_w] = make_pipe();
    auto [err_r, err_w] = make_pipe();
    fd in_r, in_w;
    if (o.stdin_text) std::tie(in_r, in_w) = make_pipe();

    pid_t pid = spawn(exe, args, o, child_stdio{in_r.get(), out_w.get(), err_w.get()});
    // Our copies of the child's ends must go, or we would never see end of file.
    out_w.reset();
    err_w.reset();
    in_r.reset();

    process_result r;
    std::size_t written = 0;
    const std::string empty;
    const std::string& input = o.stdin_text ? *o.stdin_text : empty;
    if (in_w.valid()) {
        set_nonblocking(in_w.get());
        if (input.empty()) in_w.reset();
    }
    const auto deadline = clock::now() + o.timeout;
    while (out_r.valid() || err_r.valid()) {
        pollfd p[3];
        nfds_t n = 0;
        int i_out = -1, i_err = -1, i_in = -1;
        if (out_r.valid()) { i_out = static_cast<int>(n); p[n++] = {out_r.get(), POLLIN, 0}; }
        if (err_r.valid()) { i_err = static_cast<int>(n); p[n++] = {err_r.get(), POLLIN, 0}; }
        if (in_w.valid()) { i_in = static_cast<int>(n); p[n++] = {in_w.get(), POLLOUT, 0}; }
        int ready = ::poll(p, n, ms_left(deadline));
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "poll");
        }
        if (ready == 0 && clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            r.timed_out = true;
            break;
        }
        auto readable = [&](int i) { return i >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)); };
        if (readable(i_out) && !read_some(out_r.get(), r.out)) out_r.reset();
        if (readable(i_err) && !read_some(err_r.get(), r.err)) err_r.reset();
        if (i_in >= 0 && p[i_in].revents) {
            if (p[i_in].revents & (POLLERR | POLLHUP)) {
                in_w.reset();  // the child closed its stdin without reading it all
            } else {
                ssize_t w = write_no_sigpipe(in_w.get(), input.data() + written, input.size() - written);
                if (w > 0) written += static_cast<std::size_t>(w);
                else if (errno != EAGAIN && errno != EINTR) in_w.reset();
                if (written == input.size()) in_w.reset();
            }
        }
    }
    in_w.reset();
    decode_status(wait_blocking(pid), r);
    return r;
}

/// A long-running child (a server). stdout is a pipe read line by line; stderr goes to an
/// anonymous file readable at any time with `stderr_text()`; stdin is `stdin_text` (from an
/// anonymous file, so starting never blocks) or /dev/null. Move-only.
class child_process {
public:
    child_process(const fs::path& exe, const std::vector<std::string>& args, const run_options& o = {})
        : timeout_(o.timeout) {
        using namespace detail;
        auto [out_r, out_w] = make_pipe();
        err_file_ = make_anon_file();
        fd in_file;
        if (o.stdin_text) {
            in_file = make_anon_file();
            const std::string& t = *o.stdin_text;
            for (std::size_t done = 0; done < t.size();) {
                ssize_t w = ::write(in_file.get(), t.data() + done, t.size() - done);
                if (w < 0 && errno == EINTR) continue;
                if (w < 0) throw_errno(errno, "write stdin file");
                done += static_cast<std::size_t>(w);
            }
            ::lseek(in_file.get(), 0, SEEK_SET);
        }
        pid_ = spawn(exe, args, o, child_stdio{in_file.get(), out_w.get(), err_file_.get()});
        out_ = std::move(out_r);
        pidfd_ = pid_fd(pid_);
    }

    child_process(child_process&& o) noexcept
        : pid_(std::exchange(o.pid_, -1)), out_(std::move(o.out_)), err_file_(std::move(o.err_file_)),
          pidfd_(std::move(o.pidfd_)), buffered_(std::move(o.buffered_)), eof_(o.eof_),
          timeout_(o.timeout_), result_(std::move(o.result_)) {}
    child_process& operator=(child_process&&) = delete;
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    /// Kills (SIGKILL) and reaps the child if it is still running.
    ~child_process() {
        if (pid_ > 0 && !result_) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
        }
    }

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

    /// The next line the child writes to stdout, without its newline; nullopt at end of file
    /// or when `timeout` passes first (a guard, not an expectation).
    [[nodiscard]] std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        using namespace detail;
        const auto deadline = clock::now() + timeout;
        for (;;) {
            if (auto nl = buffered_.find('\n'); nl != std::string::npos) {
                std::string line = buffered_.substr(0, nl);
                buffered_.erase(0, nl + 1);
                if (!line.empty() && line.back() == '\r') line.pop_back();
                return line;
            }
            if (eof_ || !out_.valid()) {
                if (buffered_.empty()) return std::nullopt;
                return std::exchange(buffered_, std::string());
            }
            pollfd p{out_.get(), POLLIN, 0};
            int ready = ::poll(&p, 1, ms_left(deadline));
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0) throw_errno(errno, "poll");
            if (ready == 0) {
                if (clock::now() >= deadline) return std::nullopt;
                continue;
            }
            if (!read_some(out_.get(), buffered_)) eof_ = true;
        }
    }

    /// True while the child has not exited (reaps it when it has; see `result()`).
    [[nodiscard]] bool running() {
        if (result_) return false;
        int status = 0;
        pid_t w = ::waitpid(pid_, &status, WNOHANG);
        if (w == pid_) {
            finish(status);
            return false;
        }
        return true;
    }

    /// Sends `sig` (a no-op once the child has been reaped).
    void signal(int sig) {
        if (!result_ && pid_ > 0) ::kill(pid_, sig);
    }

    /// Sends `sig`, collects the rest of stdout and waits for the child to end. A child still
    /// running after `timeout` is killed with SIGKILL and the result says `timed_out`. The
    /// result's `out` is the stdout not yet returned by `read_line()`; `err` is all of stderr.
    process_result stop(int sig = SIGTERM, std::optional<std::chrono::milliseconds> timeout = {}) {
        signal(sig);
        return wait(timeout);
    }

    /// Waits for the child to end by itself (stdout is drained meanwhile).
    process_result wait(std::optional<std::chrono::milliseconds> timeout = {}) {
        using namespace detail;
        if (result_) return *result_;
        const auto deadline = clock::now() + timeout.value_or(timeout_);
        bool timed_out = false;
        // Drain stdout (a child blocked writing to a full pipe could not exit) until both the
        // pipe is closed and the child is gone.
        for (;;) {
            if (!running()) break;
            pollfd p[2];
            nfds_t n = 0;
            const bool reading = out_.valid() && !eof_;
            if (reading) p[n++] = {out_.get(), POLLIN, 0};
            if (pidfd_.valid()) p[n++] = {pidfd_.get(), POLLIN, 0};
            if (n == 0) {
                // No pidfd (a kernel older than 5.3) and stdout closed: nothing to poll, so a
                // plain blocking wait, without the deadline.
                finish(wait_blocking(pid_));
                break;
            }
            int ready = ::poll(p, n, ms_left(deadline));
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0) throw_errno(errno, "poll");
            if (ready == 0 && clock::now() >= deadline) {
                ::kill(pid_, SIGKILL);
                timed_out = true;
                finish(wait_blocking(pid_));
                break;
            }
            if (reading && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
                if (!read_some(out_.get(), buffered_)) eof_ = true;
        }
        // Whatever the child wrote before exiting is still in the pipe.
        if (out_.valid()) {
            set_nonblocking(out_.get());
            while (!eof_) {
                std::size_t before = buffered_.size();
                if (!read_some(out_.get(), buffered_)) eof_ = true;
                else if (buffered_.size() == before) break;  // a grandchild keeps it open
            }
        }
        result_->timed_out = timed_out;
        result_->out = buffered_;
        result_->err = stderr_text();
        return *result_;
    }

    /// Everything the child has written to stderr so far.
    [[nodiscard]] std::string stderr_text() const {
        std::string s;
        if (!err_file_.valid()) return s;
        char buf[65536];
        off_t off = 0;
        for (;;) {
            ssize_t n = ::pread(err_file_.get(), buf, sizeof buf, off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            s.append(buf, static_cast<std::size_t>(n));
            off += n;
        }
        return s;
    }

private:
    void finish(int status) {
        result_.emplace();
        detail::decode_status(status, *result_);
        pidfd_.reset();
    }

    pid_t pid_ = -1;
    detail::fd out_;
    detail::fd err_file_;
    detail::fd pidfd_;
    std::string buffered_;  // stdout read but not yet returned by read_line()
    bool eof_ = false;
    std::chrono::milliseconds timeout_;
    std::optional<process_result> result_;
};

/// A fresh directory under /tmp (mkdtemp), removed with its contents when this object goes
/// away. Move-only.
class temp_dir {
public:
    explicit temp_dir(std::string_view prefix = "minga-test") {
        std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
        if (::mkdtemp(tmpl.data()) == nullptr) detail::throw_errno(errno, "mkdtemp");
        path_ = tmpl;
    }
    temp_dir(temp_dir&& o) noexcept : path_(std::exchange(o.path_, fs::path())) {}
    temp_dir& operator=(temp_dir&&) = delete;
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        if (path_.empty()) return;
        if (const char* keep = std::getenv("MINGA_KEEP_TEST_DIRS"); keep && *keep && *keep != '0') return;
        std::error_code ec;
        fs::remove_all(path_, ec);
    }

    [[nodiscard]] const fs::path& path() const noexcept { return path_; }
    [[nodiscard]] fs::path operator/(const fs::path& p) const { return path_ / p; }
    [[nodiscard]] std::string str() const { return path_.string(); }

private:
    fs::path path_;
};

}  // namespace minga::test
