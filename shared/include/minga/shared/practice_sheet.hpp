#pragma once
/// Good-practice records (fichas de buenas prácticas) as printable sheets: plain text or a
/// self-contained HTML page (one sheet per record, a page break between them), in Spanish or
/// English headings. The same code prints one record on a device (`minga practice print`) and
/// all records, or one GAD's, on the server (`minga-server export practices`).
///
/// Thread affinity: the caller's connection and thread. Reads only.

#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

struct practice_record {
    std::string id;
    std::string owner_gad;
    std::string gad_name;
    std::string title;
    std::string objective;
    std::string partners;
    std::string funder;
    std::string process_steps;
    std::string results;
    std::string commitments;
    std::string lessons;
    std::string project_title;   ///< empty when not about one project
    std::string territory_name;  ///< empty when none was given
};

/// Live records, by GAD then title. `gad` and `id` (full ids) filter when non-empty.
[[nodiscard]] std::vector<practice_record> load_practices(sql::db& db, std::string_view gad,
                                                          std::string_view id);

enum class sheet_format : std::uint8_t { text = 1, html = 2 };

/// The sheets of `records`. HTML escapes every value; text keeps values as written.
[[nodiscard]] std::string practice_sheets(const std::vector<practice_record>& records,
                                          sheet_format format, std::string_view lang);

}  // namespace minga
