#pragma once
/// A streaming, bounded RFC 4180 CSV reader.
///
/// Accepts: a header row, then records; fields separated by `,`; fields optionally quoted with
/// `"` (a doubled `""` inside quotes is one quote; commas and line breaks inside quotes are
/// data); records ended by CRLF, LF or a lone CR; a UTF-8 byte-order mark at the very start
/// (skipped); blank lines between records (skipped, but counted in line numbers).
/// Refuses, as `result` errors naming the line (field `"línea N"`, English message "line N: ..."):
/// an unterminated quote, a quote inside an unquoted field, text after a closing quote, a
/// record whose field count differs from the header's, a duplicate header name, and anything
/// beyond the `limits` (code `errc::too_large`).
///
/// Bytes are not decoded: fields are the raw UTF-8 (or whatever the file holds) between the
/// separators. Fields are not trimmed.
///
/// Ownership and lifetime: a reader made from a `std::string_view` borrows the text, and one
/// made from a `std::istream` borrows the stream; both must outlive the reader. A `record`
/// returned by `next()` views the reader's internal buffer and stays valid until the next call
/// to `next()` or until the reader is moved or destroyed. After an error the reader is spent:
/// `next()` returns the same error again.
///
/// Thread safety: a reader belongs to one thread at a time.
///
/// Cost: one pass over the bytes; the record buffer and the field table are reused from record
/// to record, so a long file allocates only when a record is larger than any before it.

#include <minga/protocol/result.hpp>

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minga::csv {

/// Largest record (or header) in bytes, counting quotes and line breaks. Bounds the memory one
/// record may take, and stops a runaway unterminated quote before it swallows the whole file.
inline constexpr std::size_t default_max_record_bytes = 1024 * 1024;
/// Most fields in one record (and columns in the header). Bounds the field table.
inline constexpr std::size_t default_max_fields = 512;
/// Most data records after the header. Bounds the work of one import (the bulk observation
/// import and the reference files are far below it).
inline constexpr std::size_t default_max_records = 1'000'000;
/// Bytes read from a stream at a time.
inline constexpr std::size_t stream_chunk_bytes = 64 * 1024;

/// Bounds for one reader; the defaults suit every file minga reads.
struct limits {
    std::size_t max_record_bytes = default_max_record_bytes;
    std::size_t max_fields = default_max_fields;
    std::size_t max_records = default_max_records;
};

/// One record: its fields and the 1-based physical line on which it starts (a record with a
/// quoted line break spans several lines). A view: see the lifetime rule above.
class record {
public:
    record(std::span<const std::string_view> fields, std::size_t line) noexcept
        : fields_(fields), line_(line) {}

    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
    /// The i-th field; `i < size()` (every record has as many fields as the header).
    [[nodiscard]] std::string_view operator[](std::size_t i) const noexcept { return fields_[i]; }
    [[nodiscard]] std::span<const std::string_view> fields() const noexcept { return fields_; }

private:
    std::span<const std::string_view> fields_;
    std::size_t line_;
};

/// Reads a header row, then one record per `next()`.
class reader {
public:
    /// Reads the header from `text` (borrowed). Fails on an empty text or a malformed header.
    [[nodiscard]] static result<reader> open(std::string_view text, const limits& lim = {});
    [[nodiscard]] static result<reader> open(const char* text, const limits& lim = {}) {
        return open(std::string_view(text), lim);
    }
    /// A temporary string would die before the reader that borrows it.
    static result<reader> open(std::string&& text, const limits& lim = {}) = delete;
    /// Reads the header from `in` (borrowed; read in chunks of `stream_chunk_bytes`).
    [[nodiscard]] static result<reader> open(std::istream& in, const limits& lim = {});

    /// The column names, in file order.
    [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_; }
    /// The index of a column by exact name, or nullopt.
    [[nodiscard]] std::optional<std::size_t> index(std::string_view column) const noexcept;
    /// The index of a column that must exist; the error (field "columna X") names it.
    [[nodiscard]] result<std::size_t> require(std::string_view column) const;

    /// The next record, nullopt at the end of the input, or an error naming the line.
    [[nodiscard]] result<std::optional<record>> next();

    /// Data records returned so far (the header not counted).
    [[nodiscard]] std::size_t records_read() const noexcept { return records_; }

private:
    enum class ending { comma, line, input };

    reader(std::string_view text, std::istream* in, const limits& lim);
    [[nodiscard]] status read_header();
    [[nodiscard]] result<bool> read_record();
    [[nodiscard]] result<ending> read_unquoted();
    [[nodiscard]] result<ending> read_quoted();
    [[nodiscard]] result<ending> after_closing_quote();
    [[nodiscard]] bool refill();
    [[nodiscard]] int peek();
    void skip_bom();
    void end_line();
    [[nodiscard]] status count_bytes(std::size_t n);
    [[nodiscard]] status end_field();
    [[nodiscard]] error fail(error e);

    limits lim_;
    std::istream* in_;                 // the caller's stream, or null for a text source
    std::unique_ptr<char[]> chunk_;    // stream source only: the last chunk read
    std::string_view window_;          // bytes not yet consumed are window_[pos_..]
    std::size_t pos_ = 0;
    std::size_t line_ = 1;             // physical line of window_[pos_]
    std::size_t record_line_ = 1;      // line on which the current record starts
    std::size_t quote_line_ = 1;       // line on which the current quoted field opened
    std::size_t record_bytes_ = 0;     // raw bytes of the current record so far
    std::size_t records_ = 0;
    std::string buf_;                  // unescaped bytes of the current record's fields
    std::vector<std::size_t> ends_;    // end offset in buf_ of each field of the record
    std::vector<std::string_view> views_;
    std::vector<std::string> header_;
    std::optional<error> failed_;
};

/// The `error::field` for a problem on a line: "línea 14".
[[nodiscard]] std::string line_field(std::size_t line);

}  // namespace minga::csv
