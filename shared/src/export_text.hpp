#pragma once
// Text helpers of the exports: CSV fields, XML escaping, money in minor units.
#include "minga/shared/time_text.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace minga::export_text {

/// Appends `s` as one RFC 4180 field (quoted only when it holds ',', '"' or a line break).
void append_csv_field(std::string& out, std::string_view s);

/// Appends `s` escaped for XML 1.0 text and attribute values: & < > " ' become entities; C0
/// control characters other than tab, line feed and carriage return (not allowed in XML 1.0)
/// and bytes that are not well-formed UTF-8 become U+FFFD.
void append_xml(std::string& out, std::string_view s);
[[nodiscard]] std::string xml(std::string_view s);

/// `amount` minor units with `digits` decimals and a '.' ("1234.56"; digits 0: "1234").
[[nodiscard]] std::string money(std::int64_t amount, int digits);

using minga::iso_utc;  // minga/shared/time_text.hpp

}  // namespace minga::export_text
