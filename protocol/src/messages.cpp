#include <minga/protocol/messages.hpp>

namespace minga::protocol {

// The variant's alternatives are declared in wire-number order; this keeps that true.
static_assert(std::variant_size_v<message> == 11);
static_assert(std::is_same_v<std::variant_alternative_t<0, message>, error_body>);
static_assert(std::is_same_v<std::variant_alternative_t<8, message>, pull_page>);
static_assert(std::is_same_v<std::variant_alternative_t<10, message>, bundle_answer>);
static_assert(is_known_msg_type(std::variant_size_v<message>) &&
              !is_known_msg_type(std::variant_size_v<message> + 1));

msg_type type_of(const message& body) noexcept {
    return static_cast<msg_type>(body.index() + 1);
}

std::string_view to_string(msg_type t) noexcept {
    switch (t) {
        case msg_type::error:
            return "error";
        case msg_type::hello:
            return "hello";
        case msg_type::hello_ack:
            return "hello_ack";
        case msg_type::enroll:
            return "enroll";
        case msg_type::enroll_ack:
            return "enroll_ack";
        case msg_type::push:
            return "push";
        case msg_type::push_ack:
            return "push_ack";
        case msg_type::pull:
            return "pull";
        case msg_type::pull_page:
            return "pull_page";
        case msg_type::bundle_carry:
            return "bundle_carry";
        case msg_type::bundle_answer:
            return "bundle_answer";
    }
    return "unknown";
}

error_body to_error_body(const minga::error& e, std::string_view lang) {
    return error_body{e.code, e.field, lang == "en" ? e.en : e.es};
}

}  // namespace minga::protocol
