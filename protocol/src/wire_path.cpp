#include "wire_path.hpp"

#include <vector>

namespace minga::protocol::detail {

std::string path::str() const {
    std::vector<const path*> steps;
    for (const path* p = this; p != nullptr; p = p->parent_) steps.push_back(p);
    std::string out;
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
        const path& step = **it;
        if (step.is_index_) {
            out += '[';
            out += std::to_string(step.index_);
            out += ']';
        } else {
            if (!out.empty()) out += '.';
            out += step.name_;
        }
    }
    return out;
}

void first_error::fail(errc code, const path& at, std::string_view es, std::string_view en) {
    if (err_) return;
    err_ = make_error(code, at.str(), std::string(es), std::string(en));
}

status first_error::take() {
    if (!err_) return {};
    error e = std::move(*err_);
    err_.reset();
    return e;
}

}  // namespace minga::protocol::detail
