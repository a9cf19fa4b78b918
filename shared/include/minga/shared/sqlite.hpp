#pragma once
/// A small RAII kit over SQLite: connection, prepared statement, reset guard, per-connection
/// statement cache and `BEGIN IMMEDIATE` transactions passed as proof to mutating functions.
///
/// Thread safety: a `db` and everything made from it belong to one thread at a time.
/// Errors: SQLite failures are bugs or a broken environment here (disk full, corrupt file),
/// so they throw `sql_error`; constraint violations that callers expect are checked with
/// `is_constraint()` on the caught error, or avoided by validating first.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace minga::sql {

/// A SQLite value: NULL, integer, real, text or blob.
using blob = std::vector<std::uint8_t>;
using value = std::variant<std::monostate, std::int64_t, double, std::string, blob>;

class sql_error : public std::runtime_error {
public:
    sql_error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    [[nodiscard]] int code() const noexcept { return code_; }
    [[nodiscard]] bool is_constraint() const noexcept;
    [[nodiscard]] bool is_busy() const noexcept;

private:
    int code_;
};

struct db_deleter {
    void operator()(sqlite3* p) const noexcept;
};
struct stmt_deleter {
    void operator()(sqlite3_stmt* p) const noexcept;
};

/// A prepared statement. Owns its `sqlite3_stmt`. Parameters are 1-based like SQLite's.
class stmt {
public:
    stmt() = default;
    stmt(sqlite3* db, std::string_view sql);

    stmt& bind(int i, std::nullptr_t);
    stmt& bind(int i, std::int64_t v);
    stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    stmt& bind(int i, double v);
    stmt& bind(int i, std::string_view v);
    stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    stmt& bind(int i, std::span<const std::uint8_t> v);
    stmt& bind(int i, const value& v);
    template <class T>
    stmt& bind(int i, const std::optional<T>& v) {
        if (v) return bind(i, *v);
        return bind(i, nullptr);
    }

    /// Steps once: true when a row is available, false when done. Throws on error.
    bool step();
    /// Steps to completion, for statements that return no rows.
    void exec();
    void reset() noexcept;

    [[nodiscard]] int columns() const noexcept;
    [[nodiscard]] bool is_null(int col) const noexcept;
    [[nodiscard]] std::int64_t get_int(int col) const noexcept;
    [[nodiscard]] double get_double(int col) const noexcept;
    [[nodiscard]] std::string get_text(int col) const;
    [[nodiscard]] std::optional<std::string> get_opt_text(int col) const;
    [[nodiscard]] std::optional<std::int64_t> get_opt_int(int col) const;
    [[nodiscard]] std::optional<double> get_opt_double(int col) const;
    [[nodiscard]] blob get_blob(int col) const;
    [[nodiscard]] value get_value(int col) const;
    [[nodiscard]] std::string column_name(int col) const;

    [[nodiscard]] sqlite3_stmt* handle() const noexcept { return s_.get(); }

private:
    std::unique_ptr<sqlite3_stmt, stmt_deleter> s_;
};

/// Resets a cached statement (and clears its bindings) when the scope ends, so a statement
/// taken from the cache is never left mid-step by an early return or an exception.
class reset_guard {
public:
    explicit reset_guard(stmt& s) noexcept : s_(s) {}
    ~reset_guard();
    reset_guard(const reset_guard&) = delete;
    reset_guard& operator=(const reset_guard&) = delete;

private:
    stmt& s_;  // owned by the statement cache, which outlives this guard
};

/// Options applied when a connection opens: WAL, busy timeout and foreign keys in one place.
struct open_options {
    bool create = true;
    bool read_only = false;
    int busy_timeout_ms = 5000;
    bool wal = true;
};

/// A connection. Sets WAL, busy timeout and foreign keys when it opens, and caches the
/// statements prepared through `cached()` for its lifetime.
class db {
public:
    explicit db(const std::string& path, const open_options& opts = {});
    db(db&&) noexcept = default;
    db& operator=(db&&) noexcept = default;
    ~db();

    /// Runs one or more statements that return nothing (DDL, pragmas).
    void exec(std::string_view sql);
    /// Prepares a fresh statement owned by the caller.
    [[nodiscard]] stmt prepare(std::string_view sql);
    /// A statement from this connection's cache, prepared on first use. The reference stays
    /// valid for the connection's lifetime; wrap its use in a `reset_guard`.
    [[nodiscard]] stmt& cached(const std::string& sql);

    [[nodiscard]] std::int64_t last_insert_rowid() const noexcept;
    [[nodiscard]] int changes() const noexcept;
    [[nodiscard]] int user_version();
    void set_user_version(int v);

    /// Runs a query expected to return one integer (e.g. `SELECT count(*)`).
    [[nodiscard]] std::int64_t scalar_int(std::string_view sql);

    [[nodiscard]] sqlite3* handle() const noexcept { return db_.get(); }

private:
    std::unique_ptr<sqlite3, db_deleter> db_;
    std::map<std::string, stmt, std::less<>> cache_;
};

/// A `BEGIN IMMEDIATE` transaction: takes the write lock at once so no write fails half-way
/// on a busy database. Rolls back in the destructor unless `commit()` was called. Mutating
/// functions take a `transaction&` as proof that they run inside one.
class transaction {
public:
    explicit transaction(db& d);
    ~transaction();
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;

    void commit();
    [[nodiscard]] db& conn() noexcept { return db_; }

private:
    db& db_;  // the caller's connection; a transaction never outlives the scope that opened it
    bool done_ = false;
};

}  // namespace minga::sql
