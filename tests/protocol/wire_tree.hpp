#pragma once
// A mutable msgpack tree for building hostile frames: parse valid bytes, change one node,
// pack again. Test-only; the product never builds frames this way.

#include "samples.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace minga::protocol::test {

struct node;
using node_array = std::vector<node>;
using node_map = std::vector<std::pair<node, node>>;
struct node_bin {
    std::vector<std::uint8_t> data;
};

/// One msgpack value. Ints keep their wire sign class (uint64 for positive, int64 for negative).
struct node {
    std::variant<std::monostate, bool, std::uint64_t, std::int64_t, double, std::string, node_bin,
                 node_array, node_map>
        v;

    [[nodiscard]] bool is_container() const {
        return std::holds_alternative<node_array>(v) || std::holds_alternative<node_map>(v);
    }
    [[nodiscard]] node_array& array() { return std::get<node_array>(v); }
};

/// Where a node sits: indices from the root. In a map, index 2k is the key of entry k and
/// 2k + 1 its value.
using position = std::vector<std::size_t>;

[[nodiscard]] node parse(const bytes& b);
[[nodiscard]] bytes pack(const node& n);
[[nodiscard]] node& at(node& root, const position& pos);
/// Every position below the root, depth first.
[[nodiscard]] std::vector<position> all_positions(const node& root);
[[nodiscard]] std::string to_string(const position& pos);

}  // namespace minga::protocol::test
