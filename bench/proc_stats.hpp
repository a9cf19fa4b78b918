#pragma once
// Memory of the benchmarks' child processes: a running process's peak RSS from /proc, and a
// program run to completion with its own peak RSS from wait4's rusage (not the cumulative
// RUSAGE_CHILDREN, which would mix every child of the bench).
//
// Header-only on purpose: bench/CMakeLists.txt makes an executable of every .cpp in bench/.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace minga::bench {

/// A field of /proc/PID/status in kB (VmHWM: peak RSS, VmRSS: current), 0 when unreadable.
inline long proc_status_kb(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    return 0;
}

struct measured_run {
    int exit_code = -1;  ///< -1 when a signal ended it
    double seconds = 0;
    long max_rss_kb = 0;  ///< the child's own peak RSS (ru_maxrss)
};

/// Runs `exe args...` (no shell), stdout and stderr to `log` (appended), and waits for it.
inline measured_run run_measured(const std::filesystem::path& exe,
                                 const std::vector<std::string>& args,
                                 const std::filesystem::path& log) {
    std::vector<std::string> all{exe.string()};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    const auto t0 = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw std::runtime_error("cannot start " + exe.string());
    int status = 0;
    rusage ru{};
    while (::wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) throw std::runtime_error("wait4 failed");
    measured_run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.max_rss_kb = ru.ru_maxrss;
    return r;
}

}  // namespace minga::bench
