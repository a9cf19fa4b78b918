// Reading and writing bundle files (bundle.hpp), for both command-line programs.
#include <minga/shared/bundle.hpp>

#include <filesystem>
#include <fstream>

namespace minga {

result<std::vector<std::uint8_t>> read_bundle_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(errc::not_found, "FILE", "no se puede leer el archivo " + path,
                          "cannot read the file " + path);
    }
    std::vector<std::uint8_t> out;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        out.insert(out.end(), buf, buf + in.gcount());
        if (out.size() > bundle_tuning::max_file_bytes) {
            return make_error(errc::too_large, "FILE",
                              "el archivo pasa el límite de " + std::to_string(bundle_tuning::max_file_bytes) + " bytes",
                              "the file exceeds the limit of " + std::to_string(bundle_tuning::max_file_bytes) + " bytes");
        }
    }
    return out;
}

status write_bundle_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    // Written beside and renamed, so a stick pulled out mid-write never holds half a bundle
    // under the final name.
    const std::string tmp = path + ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            return make_error(errc::bad_input, "FILE", "no se puede escribir el archivo " + path,
                              "cannot write the file " + path);
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        return make_error(errc::bad_input, "FILE", "no se puede escribir el archivo " + path,
                          "cannot write the file " + path);
    }
    return {};
}

}  // namespace minga
