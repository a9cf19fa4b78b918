#pragma once
/// Exports of the central store for systems outside minga: the national registry of agreements
/// and projects (a SIGECI-style CSV) and IATI 2.03 activity XML.
///
/// The columns, sources and formats are documented in docs/exports.md. Both exports read the
/// live synced rows (deleted rows and children of deleted projects are left out); amounts in US
/// dollars come from the last consolidation (`rpt_project`), so they equal `minga-server
/// report`'s figures. Amounts in the original currency are computed here with the same
/// "which amount counts" rule as the consolidation (docs/consolidation.md).
///
/// Thread affinity: the caller's connection, on the caller's thread; no state between calls.
/// Errors: a bad GAD code is `errc::bad_input` on "--gad"; SQLite failures throw.

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

/// What to export: all GADs (`gad` empty) or the projects owned by one GAD.
struct export_filter {
    std::string gad;
};

/// The registry CSV and what a person should know about it.
struct registry_export {
    std::string csv;                    ///< RFC 4180, UTF-8, "\n" line ends, header first
    std::int64_t projects = 0;          ///< data rows
    std::int64_t without_usd = 0;       ///< rows with no USD figures (not consolidated yet)
};

/// One row per live project with its agreement, cooperants, classification, amounts in the
/// original currency and in USD, territory, SDGs, sectors, dates and status (docs/exports.md).
/// Rows ordered by owner GAD, then project title, then id.
[[nodiscard]] result<registry_export> export_registry(sql::db& central_db, const export_filter& f);

/// Options of the IATI export.
struct iati_options {
    std::string gad;                 ///< only this reporting GAD ("" = all)
    bool per_gad = false;            ///< one document per reporting GAD instead of one for all
    std::int64_t generated_ms = 0;   ///< `generated-datetime` of the documents
};

/// One IATI document.
struct iati_document {
    std::string reporting_gad;  ///< the GAD code, or "" for the document of all GADs
    std::string xml;            ///< `<iati-activities version="2.03">`, UTF-8
    std::int64_t activities = 0;
};

struct iati_export {
    std::vector<iati_document> documents;  ///< per GAD in code order, or exactly one
    std::int64_t activities = 0;
    /// Live projects left out because IATI requires a date and they have none (no planned or
    /// actual date, no budget period, no transaction): fix them and export again.
    std::vector<std::string> skipped_no_date;
};

/// IATI 2.03 activities: one `iati-activity` per live project (the project's owner GAD is the
/// reporting organisation). The output validates against the official 2.03 XSD
/// (`data/iati/schema-2.03/`); all text is escaped for XML.
[[nodiscard]] result<iati_export> export_iati(sql::db& central_db, const iati_options& o);

/// `s` escaped for XML and HTML text and attribute values (& < > " ' as entities; characters
/// XML 1.0 forbids, and bytes that are not UTF-8, as U+FFFD): one escaping for every export,
/// sheet and page.
[[nodiscard]] std::string markup_escape(std::string_view s);

}  // namespace minga
