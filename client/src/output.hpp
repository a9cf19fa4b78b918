#pragma once
// How the client prints: the printer both programs share (minga/shared/cli_output.hpp), plus
// records and lists of the entity commands.
#include <minga/shared/cli_output.hpp>
#include <minga/shared/entity_service.hpp>

#include <nlohmann/json.hpp>

#include <vector>

namespace minga::client {

using cli::exit_code;
using cli::exit_for;
using cli::global_options;

class printer : public cli::printer {
public:
    using cli::printer::printer;

    void print_record(const entity_spec& e, const record& r, form_checker& money);
    void print_list(const entity_spec& e, const std::vector<record>& rows);
};

/// A stored value as JSON.
[[nodiscard]] nlohmann::json to_json(const sql::value& v);
[[nodiscard]] nlohmann::json to_json(const record& r);

}  // namespace minga::client
