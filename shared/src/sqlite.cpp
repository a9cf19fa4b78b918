#include <minga/shared/sqlite.hpp>

#include <sqlite3.h>

namespace minga::sql {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw sql_error(rc, msg);
}

}  // namespace

bool sql_error::is_constraint() const noexcept { return (code_ & 0xff) == SQLITE_CONSTRAINT; }
bool sql_error::is_busy() const noexcept {
    return (code_ & 0xff) == SQLITE_BUSY || (code_ & 0xff) == SQLITE_LOCKED;
}

void db_deleter::operator()(sqlite3* p) const noexcept { sqlite3_close_v2(p); }
void stmt_deleter::operator()(sqlite3_stmt* p) const noexcept { sqlite3_finalize(p); }

stmt::stmt(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "prepare");
    s_.reset(raw);
}

namespace {
void check_bind(sqlite3_stmt* s, int rc) {
    if (rc != SQLITE_OK) fail(sqlite3_db_handle(s), rc, "bind");
}
}  // namespace

stmt& stmt::bind(int i, std::nullptr_t) {
    check_bind(s_.get(), sqlite3_bind_null(s_.get(), i));
    return *this;
}
stmt& stmt::bind(int i, std::int64_t v) {
    check_bind(s_.get(), sqlite3_bind_int64(s_.get(), i, v));
    return *this;
}
stmt& stmt::bind(int i, double v) {
    check_bind(s_.get(), sqlite3_bind_double(s_.get(), i, v));
    return *this;
}
stmt& stmt::bind(int i, std::string_view v) {
    // A default-constructed view has no data pointer, which SQLite would bind as NULL: an empty
    // text is still text (`central::gads()` compares its default level with '').
    check_bind(s_.get(), sqlite3_bind_text64(s_.get(), i, v.data() ? v.data() : "", v.size(), SQLITE_TRANSIENT,
                                             SQLITE_UTF8));
    return *this;
}
stmt& stmt::bind(int i, std::span<const std::uint8_t> v) {
    check_bind(s_.get(), sqlite3_bind_blob64(s_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT));
    return *this;
}
stmt& stmt::bind(int i, const value& v) {
    struct visitor {
        stmt& s;
        int i;
        void operator()(std::monostate) { s.bind(i, nullptr); }
        void operator()(std::int64_t x) { s.bind(i, x); }
        void operator()(double x) { s.bind(i, x); }
        void operator()(const std::string& x) { s.bind(i, std::string_view(x)); }
        void operator()(const blob& x) { s.bind(i, std::span<const std::uint8_t>(x)); }
    };
    std::visit(visitor{*this, i}, v);
    return *this;
}

bool stmt::step() {
    int rc = sqlite3_step(s_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3* db = sqlite3_db_handle(s_.get());
    std::string what = "step";
    if (const char* sql = sqlite3_sql(s_.get())) {
        std::string_view head(sql);
        what += " [" + std::string(head.substr(0, 60)) + "]";
    }
    // Reset so the statement is reusable and the error code is the extended one.
    sqlite3_reset(s_.get());
    throw sql_error(sqlite3_extended_errcode(db), what + ": " + sqlite3_errmsg(db));
}

void stmt::exec() {
    while (step()) {
    }
}

void stmt::reset() noexcept {
    sqlite3_reset(s_.get());
    sqlite3_clear_bindings(s_.get());
}

int stmt::columns() const noexcept { return sqlite3_column_count(s_.get()); }
bool stmt::is_null(int col) const noexcept {
    return sqlite3_column_type(s_.get(), col) == SQLITE_NULL;
}
std::int64_t stmt::get_int(int col) const noexcept { return sqlite3_column_int64(s_.get(), col); }
double stmt::get_double(int col) const noexcept { return sqlite3_column_double(s_.get(), col); }
std::string stmt::get_text(int col) const {
    const auto* p = sqlite3_column_text(s_.get(), col);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<std::size_t>(sqlite3_column_bytes(s_.get(), col)));
}
std::optional<std::string> stmt::get_opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return get_text(col);
}
std::optional<std::int64_t> stmt::get_opt_int(int col) const {
    if (is_null(col)) return std::nullopt;
    return get_int(col);
}
std::optional<double> stmt::get_opt_double(int col) const {
    if (is_null(col)) return std::nullopt;
    return get_double(col);
}
blob stmt::get_blob(int col) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_.get(), col));
    auto n = static_cast<std::size_t>(sqlite3_column_bytes(s_.get(), col));
    if (!p) return {};
    return blob(p, p + n);
}
value stmt::get_value(int col) const {
    switch (sqlite3_column_type(s_.get(), col)) {
        case SQLITE_INTEGER: return get_int(col);
        case SQLITE_FLOAT: return get_double(col);
        case SQLITE_TEXT: return get_text(col);
        case SQLITE_BLOB: return get_blob(col);
        default: return std::monostate{};
    }
}
std::string stmt::column_name(int col) const {
    const char* n = sqlite3_column_name(s_.get(), col);
    return n ? n : "";
}

reset_guard::~reset_guard() { s_.reset(); }

db::db(const std::string& path, const open_options& opts) {
    int flags = opts.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (opts.create && !opts.read_only) flags |= SQLITE_OPEN_CREATE;
    flags |= SQLITE_OPEN_NOMUTEX;
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail(raw, rc, "open " + path);
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, opts.busy_timeout_ms);
    exec("PRAGMA foreign_keys = ON");
    if (opts.wal && !opts.read_only && path != ":memory:") {
        exec("PRAGMA journal_mode = WAL");
        // NORMAL is durable across application crashes in WAL mode; only an OS crash or power
        // loss can drop the last transactions, never corrupt the file.
        exec("PRAGMA synchronous = NORMAL");
    }
}

db::~db() {
    cache_.clear();  // finalize statements before the connection closes
}

void db::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_.get(), s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw sql_error(sqlite3_extended_errcode(db_.get()), "exec: " + msg);
    }
}

stmt db::prepare(std::string_view sql) { return stmt(db_.get(), sql); }

stmt& db::cached(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, stmt(db_.get(), sql)).first;
    return it->second;
}

std::int64_t db::last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_.get()); }
int db::changes() const noexcept { return sqlite3_changes(db_.get()); }

int db::user_version() { return static_cast<int>(scalar_int("PRAGMA user_version")); }
void db::set_user_version(int v) { exec("PRAGMA user_version = " + std::to_string(v)); }

std::int64_t db::scalar_int(std::string_view sql) {
    stmt s = prepare(sql);
    if (!s.step()) return 0;
    return s.get_int(0);
}

transaction::transaction(db& d) : db_(d) { db_.exec("BEGIN IMMEDIATE"); }

transaction::~transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (const sql_error&) {
            // A rollback fails only when SQLite already rolled back (e.g. after SQLITE_FULL);
            // there is nothing left to undo and a destructor must not throw.
        }
    }
}

void transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace minga::sql
