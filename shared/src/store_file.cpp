#include "store_file.hpp"

#include <system_error>

namespace minga {

namespace fs = std::filesystem;

status create_store_file(const fs::path& dir, std::string_view file_name, std::string_view what_es,
                         std::string_view what_en, const std::function<status(sql::db&)>& build) {
    std::error_code ec;
    if (fs::exists(dir / file_name, ec)) {
        return make_error(
            errc::conflict, "--data",
            "ya existe " + std::string(what_es) + " en " + dir.string() + "; use otra carpeta",
            std::string(what_en) + " already exists in " + dir.string() + "; use another folder");
    }
    bool made_dir = !fs::exists(dir, ec);
    fs::create_directories(dir, ec);
    if (ec) {
        return make_error(errc::bad_input, "--data",
                          "no se puede crear la carpeta " + dir.string() + ": " + ec.message(),
                          "cannot create the folder " + dir.string() + ": " + ec.message());
    }
    fs::path tmp = dir / (std::string(file_name) + ".init");
    fs::remove(tmp, ec);
    auto undo = [&] {
        fs::remove(tmp, ec);
        if (made_dir) fs::remove(dir, ec);  // only if still empty
    };
    status built;
    {
        // The connection closes at the end of this scope, before the rename.
        sql::db db(tmp.string(), sql::open_options{.wal = false});
        built = build(db);
    }
    if (!built) {
        undo();
        return built;
    }
    fs::rename(tmp, dir / file_name, ec);
    if (ec) {
        undo();
        return make_error(errc::internal, "--data",
                          "no se pudo crear " + std::string(what_es) + ": " + ec.message(),
                          "could not create " + std::string(what_en) + ": " + ec.message());
    }
    return {};
}

}  // namespace minga
