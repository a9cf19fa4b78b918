#pragma once
/// The values a change or a pulled row carries, one per column.
///
/// On the wire a value is msgpack nil, int, float, str or bin; nothing else (no bool, array,
/// map or ext). Ints are signed 64-bit: a msgpack positive int above INT64_MAX is a decode
/// error. Floats arrive as float32 or float64 and are always sent as float64. The SQLite kit in
/// shared/ binds and reads exactly this variant, so it must stay this type.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace minga::protocol {

/// nil, int, float, str (UTF-8), bin. The alternatives' order is part of the SQLite kit's
/// contract: never reorder.
using value =
    std::variant<std::monostate, std::int64_t, double, std::string, std::vector<std::uint8_t>>;

/// Column name -> value, in the order the sender wrote them. Names are unique within one map;
/// `validate()` rejects duplicates. Sent as a msgpack map.
using field_map = std::vector<std::pair<std::string, value>>;

}  // namespace minga::protocol
