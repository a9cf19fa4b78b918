#pragma once
/// `result<T>`: the value of an operation whose failure is an expected outcome (bad input,
/// not found, conflict, busy...). Bugs and broken environments throw instead.
///
/// An `error` carries a stable code, the name of the offending field (may be empty) and a
/// message in Spanish and in English, because what parish staff read is Spanish first.

#include <minga/protocol/errc.hpp>

#include <string>
#include <utility>
#include <variant>

namespace minga {

struct error {
    errc code = errc::internal;
    std::string field;  ///< e.g. "parish", "amount", "line 14: value"; empty when not about a field
    std::string es;     ///< message for people, Spanish
    std::string en;     ///< message for people, English

    /// The message in the asked language ("es" unless "en"), prefixed with the field.
    [[nodiscard]] std::string text(std::string_view lang) const;
};

[[nodiscard]] inline error make_error(errc code, std::string field, std::string es,
                                      std::string en) {
    return error{code, std::move(field), std::move(es), std::move(en)};
}

template <class T>
class [[nodiscard]] result {
public:
    result(T value) : v_(std::move(value)) {}            // NOLINT(implicit)
    result(error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT(implicit)

    [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &std::get<0>(v_); }
    const T* operator->() const { return &std::get<0>(v_); }
    T& operator*() & { return std::get<0>(v_); }
    const T& operator*() const& { return std::get<0>(v_); }

    const error& err() const& { return std::get<1>(v_); }
    error&& err() && { return std::get<1>(std::move(v_)); }

private:
    std::variant<T, error> v_;
};

/// `result<void>`: success or an error.
template <>
class [[nodiscard]] result<void> {
public:
    result() = default;
    result(error e) : e_(std::move(e)), failed_(true) {}  // NOLINT(implicit)

    [[nodiscard]] bool ok() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return ok(); }
    const error& err() const& { return e_; }
    error&& err() && { return std::move(e_); }

private:
    error e_;
    bool failed_ = false;
};

using status = result<void>;

}  // namespace minga
