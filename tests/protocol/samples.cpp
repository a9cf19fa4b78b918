#include "samples.hpp"

#include <stdexcept>

namespace minga::protocol::test {
namespace {

constexpr const char* device = "0190a6e2-7c4d-7b3a-9f10-5c2e8d4a1b01";
constexpr std::int64_t server_time = 1733000000000;         // 2024-11-30T20:53:20Z
constexpr std::uint64_t hlc_base = 1732990000000ULL << 16;  // physical ms, counter 0
// The device's pull cursor when it wrote the pushed changes: the last sync ended there, and the
// pull sample resumes from it after the push.
constexpr std::uint64_t seen_cursor = 1100;

frame make(std::uint64_t request_id, message body) {
    return frame{1, request_id, std::move(body)};
}

push sample_push() {
    change upsert{41,
                  "observation",
                  "0190a6e3-0001-7000-8000-000000000001",
                  change_op::upsert,
                  hlc_base + 1,
                  "170185",
                  field_map{{"value", 12.5},
                            {"observed_at", std::string("2024-11-29")},
                            {"count", std::int64_t{-3}},
                            {"comment", std::monostate{}},
                            {"photo", std::vector<std::uint8_t>{0xff, 0xd8}}},
                  seen_cursor};
    change remove{42,
                  "observation",
                  "0190a6e3-0001-7000-8000-000000000002",
                  change_op::remove,
                  hlc_base + 2,
                  "170185",
                  {},
                  seen_cursor};
    return push{device, {std::move(upsert), std::move(remove)}};
}

pull_page sample_page() {
    table_block projects{"project",
                         {"title", "budget_minor"},
                         {row{"0190a6e3-0002-7000-8000-000000000001",
                              std::string("170185"),
                              false,
                              hlc_base + 5,
                              {std::string("Reforestación Yaruquí"), std::int64_t{1250000}}},
                          row{"0190a6e3-0002-7000-8000-000000000002",
                              std::string("170185"),
                              true,
                              hlc_base + 6,
                              {std::monostate{}, std::monostate{}}}}};
    table_block offers{"offer",
                       {"title"},
                       {row{"0190a6e3-0003-7000-8000-000000000001",
                            std::nullopt,
                            false,
                            hlc_base + 7,
                            {std::string("Becas Sur-Sur")}}}};
    return pull_page{1187, 5, 2, server_time, {std::move(projects), std::move(offers)}};
}

/// A v2 snapshot page: the first page of a snapshot, for a device whose cursor (1100) is
/// behind the horizon (1150). Its cursor_after is a position inside the snapshot.
pull_page sample_snapshot_page() {
    table_block projects{"project",
                         {"title"},
                         {row{"0190a6e3-0002-7000-8000-000000000001",
                              std::string("170185"),
                              false,
                              hlc_base + 5,
                              {std::string("Reforestación Yaruquí")}}}};
    pull_page page{231, 3, 2, server_time, {std::move(projects)}};
    page.snapshot = true;
    page.horizon = 1150;
    return page;
}

std::vector<sample> build_v2() {
    pull resume{231, 500, 262144};
    resume.snapshot = true;
    return {
        // A v2 client's hello still travels in a v1 envelope, so a v1 server can read it.
        {"hello_v2", frame{1, 1, hello{1, 2, device, "minga 0.2.0"}}},
        {"hello_ack_v2", frame{2, 1, hello_ack{2, server_time, "srv-quito-1"}}},
        {"pull_v2", frame{2, 5, resume}},
        {"pull_page_v2", frame{2, 4, sample_snapshot_page()}},
    };
}

std::vector<sample> build_clock_v3() {
    push p = sample_push();
    p.device_time_ms = server_time + 365LL * 86'400'000;  // this device's clock is a year ahead
    return {{"push_v3", frame{3, 3, std::move(p)}}};
}

std::vector<sample> build() {
    return {
        {"error", make(7, error_body{errc::unauthorized, "credential", "credencial revocada"})},
        {"hello", make(1, hello{1, 1, device, "minga 0.1.0"})},
        {"hello_ack", make(1, hello_ack{1, server_time, "srv-quito-1"})},
        {"enroll", make(2, enroll{"K7QX-94TB-M2WD", "Tablet técnica Yaruquí", device})},
        {"enroll_ack", make(2, enroll_ack{device, "mgc1.pY3rT9vXq2", {"170185"}, server_time})},
        {"push", make(3, sample_push())},
        {"push_ack", make(3, push_ack{42, server_time, 2, 0})},
        {"pull", make(4, pull{seen_cursor, 500, 262144})},
        {"pull_page", make(4, sample_page())},
    };
}

}  // namespace

const std::vector<sample>& samples() {
    static const std::vector<sample> all = build();
    return all;
}

const std::vector<sample>& v2_samples() {
    static const std::vector<sample> all = build_v2();
    return all;
}

const std::vector<sample>& clock_v3_samples() {
    static const std::vector<sample> all = build_clock_v3();
    return all;
}

const frame& sample_frame(const std::string& name) {
    for (const auto& s : samples()) {
        if (s.name == name) return s.f;
    }
    for (const auto& s : v2_samples()) {
        if (s.name == name) return s.f;
    }
    for (const auto& s : clock_v3_samples()) {
        if (s.name == name) return s.f;
    }
    throw std::invalid_argument("no sample named " + name);
}

bytes from_hex(const std::string& hex) {
    bytes out;
    std::string digits;
    for (char c : hex) {
        if (c != ' ' && c != '\n') digits += c;
    }
    if (digits.size() % 2 != 0) throw std::invalid_argument("odd hex: " + hex);
    for (std::size_t i = 0; i < digits.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    }
    return out;
}

std::string to_hex(const bytes& b) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i != 0) out += ' ';
        out += digits[b[i] >> 4];
        out += digits[b[i] & 0x0f];
    }
    return out;
}

}  // namespace minga::protocol::test
