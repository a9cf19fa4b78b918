#include <minga/shared/csv.hpp>

#include <fmt/format.h>

#include <istream>
#include <utility>

namespace minga::csv {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool is_unquoted_special(char c) noexcept {
    return c == ',' || c == '\n' || c == '\r' || c == '"';
}

error line_error(errc code, std::size_t line, std::string es, std::string_view en) {
    return make_error(code, line_field(line), std::move(es), std::string(en));
}

}  // namespace

std::string line_field(std::size_t line) { return fmt::format("línea {}", line); }

reader::reader(std::string_view text, std::istream* in, const limits& lim)
    : lim_(lim), in_(in), window_(text) {
    if (in_) chunk_ = std::make_unique<char[]>(stream_chunk_bytes);
}

result<reader> reader::open(std::string_view text, const limits& lim) {
    reader r(text, nullptr, lim);
    if (auto st = r.read_header(); !st) return std::move(st).err();
    return result<reader>(std::move(r));
}

result<reader> reader::open(std::istream& in, const limits& lim) {
    reader r({}, &in, lim);
    if (auto st = r.read_header(); !st) return std::move(st).err();
    return result<reader>(std::move(r));
}

std::optional<std::size_t> reader::index(std::string_view column) const noexcept {
    for (std::size_t i = 0; i < header_.size(); ++i) {
        if (header_[i] == column) return i;
    }
    return std::nullopt;
}

result<std::size_t> reader::require(std::string_view column) const {
    if (auto i = index(column)) return *i;
    return make_error(errc::bad_input, fmt::format("columna {}", column),
                      fmt::format("falta la columna «{}» en la fila de encabezados", column),
                      fmt::format("the header row has no column '{}'", column));
}

result<std::optional<record>> reader::next() {
    if (failed_) return *failed_;
    auto got = read_record();
    if (!got) return fail(std::move(got).err());
    if (!*got) return std::optional<record>();
    if (views_.size() != header_.size()) {
        return fail(line_error(
            errc::bad_input, record_line_,
            fmt::format("se esperaban {} campos, como en el encabezado, y hay {}", header_.size(),
                        views_.size()),
            fmt::format("expected {} fields, as in the header, found {}", header_.size(),
                        views_.size())));
    }
    if (records_ >= lim_.max_records) {
        return fail(line_error(
            errc::too_large, record_line_,
            fmt::format("el archivo tiene más de {} registros; divídalo", lim_.max_records),
            fmt::format("the file has more than {} records; split it", lim_.max_records)));
    }
    ++records_;
    return std::optional<record>(record(views_, record_line_));
}

status reader::read_header() {
    skip_bom();
    auto got = read_record();
    if (!got) return fail(std::move(got).err());
    if (!*got) {
        return fail(line_error(errc::bad_input, line_,
                               "el archivo está vacío: falta la fila de encabezados",
                               "the file is empty: the header row is missing"));
    }
    header_.reserve(views_.size());
    for (std::string_view name : views_) {
        if (index(name)) {
            return fail(line_error(errc::bad_input, record_line_,
                                   fmt::format("columna repetida en el encabezado: «{}»", name),
                                   fmt::format("duplicate column in the header: '{}'", name)));
        }
        header_.emplace_back(name);
    }
    return {};
}

result<bool> reader::read_record() {
    buf_.clear();
    ends_.clear();
    views_.clear();
    for (int c = peek(); c == '\n' || c == '\r'; c = peek()) {  // blank lines
        ++pos_;
        if (c == '\r' && peek() == '\n') ++pos_;
        end_line();
    }
    bool at_end = peek() < 0;
    if (in_ && in_->bad()) {
        return line_error(errc::internal, line_, "error de lectura del archivo",
                          "read error on the file");
    }
    if (at_end) return false;
    record_line_ = line_;
    record_bytes_ = 0;
    for (;;) {
        result<ending> e = ending::input;
        if (peek() == '"') {
            ++pos_;
            if (auto st = count_bytes(1); !st) return std::move(st).err();
            e = read_quoted();
        } else {
            e = read_unquoted();
        }
        if (!e) return std::move(e).err();
        if (auto st = end_field(); !st) return std::move(st).err();
        if (*e != ending::comma) break;
    }
    if (in_ && in_->bad()) {
        return line_error(errc::internal, line_, "error de lectura del archivo",
                          "read error on the file");
    }
    // Views are made only now: buf_ may have moved while the record grew.
    std::size_t start = 0;
    for (std::size_t end : ends_) {
        views_.emplace_back(buf_.data() + start, end - start);
        start = end;
    }
    return true;
}

result<reader::ending> reader::read_unquoted() {
    for (;;) {
        if (pos_ == window_.size() && !refill()) return ending::input;
        std::size_t start = pos_;
        while (pos_ < window_.size() && !is_unquoted_special(window_[pos_])) ++pos_;
        if (auto st = count_bytes(pos_ - start); !st) return std::move(st).err();
        buf_.append(window_.data() + start, pos_ - start);
        if (pos_ == window_.size()) continue;
        char c = window_[pos_++];
        if (auto st = count_bytes(1); !st) return std::move(st).err();
        if (c == ',') return ending::comma;
        if (c == '"') {
            return line_error(errc::bad_input, line_,
                              "comilla dentro de un campo sin comillas; encierre el campo entre "
                              "comillas y duplique la comilla interior (\"\")",
                              "quote inside an unquoted field; quote the field and double the "
                              "inner quote (\"\")");
        }
        if (c == '\r' && peek() == '\n') ++pos_;
        end_line();
        return ending::line;
    }
}

result<reader::ending> reader::read_quoted() {
    quote_line_ = line_;
    for (;;) {
        if (pos_ == window_.size() && !refill()) {
            return line_error(errc::bad_input, quote_line_,
                              "comillas sin cerrar: el campo que empieza en esta línea no termina",
                              "unterminated quote: the field that starts on this line never ends");
        }
        std::size_t start = pos_;
        while (pos_ < window_.size() && window_[pos_] != '"' && window_[pos_] != '\n') ++pos_;
        if (auto st = count_bytes(pos_ - start); !st) return std::move(st).err();
        buf_.append(window_.data() + start, pos_ - start);
        if (pos_ == window_.size()) continue;
        char c = window_[pos_++];
        if (auto st = count_bytes(1); !st) return std::move(st).err();
        if (c == '\n') {
            buf_.push_back('\n');
            end_line();
            continue;
        }
        if (peek() != '"') return after_closing_quote();
        ++pos_;  // a doubled quote is one quote of data
        if (auto st = count_bytes(1); !st) return std::move(st).err();
        buf_.push_back('"');
    }
}

result<reader::ending> reader::after_closing_quote() {
    int c = peek();
    if (c < 0) return ending::input;
    ++pos_;
    if (c == ',') return ending::comma;
    if (c == '\n' || c == '\r') {
        if (c == '\r' && peek() == '\n') ++pos_;
        end_line();
        return ending::line;
    }
    // The quote that just closed may have opened lines earlier, where the mistake usually is.
    const std::string opened_es =
        quote_line_ == line_ ? "" : fmt::format(" (el campo se abrió en la línea {})", quote_line_);
    const std::string opened_en =
        quote_line_ == line_ ? "" : fmt::format(" (the field opened on line {})", quote_line_);
    return line_error(errc::bad_input, line_,
                      fmt::format("texto después de la comilla de cierre{}; duplique las "
                                  "comillas interiores (\"\")",
                                  opened_es),
                      fmt::format("text after the closing quote{}; double the inner quotes (\"\")",
                                  opened_en));
}

bool reader::refill() {
    if (!in_ || !*in_) return false;
    in_->read(chunk_.get(), static_cast<std::streamsize>(stream_chunk_bytes));
    window_ = std::string_view(chunk_.get(), static_cast<std::size_t>(in_->gcount()));
    pos_ = 0;
    return !window_.empty();
}

int reader::peek() {
    if (pos_ == window_.size() && !refill()) return -1;
    return static_cast<unsigned char>(window_[pos_]);
}

void reader::skip_bom() {
    if (peek() < 0) return;
    if (window_.substr(pos_).starts_with(utf8_bom)) pos_ += utf8_bom.size();
}

void reader::end_line() { ++line_; }

status reader::count_bytes(std::size_t n) {
    record_bytes_ += n;
    if (record_bytes_ <= lim_.max_record_bytes) return {};
    return line_error(
        errc::too_large, record_line_,
        fmt::format("el registro supera el máximo de {} bytes", lim_.max_record_bytes),
        fmt::format("the record exceeds the maximum of {} bytes", lim_.max_record_bytes));
}

status reader::end_field() {
    ends_.push_back(buf_.size());
    if (ends_.size() <= lim_.max_fields) return {};
    return line_error(errc::too_large, record_line_,
                      fmt::format("el registro tiene más de {} campos", lim_.max_fields),
                      fmt::format("the record has more than {} fields", lim_.max_fields));
}

error reader::fail(error e) {
    failed_ = e;
    return e;
}

}  // namespace minga::csv
