// The server's long-term bundle key (X25519, libsodium) and the registration of device keys.
// The key file sits next to the TLS key in the data folder, mode 0600, as two hex lines
// (public, secret). A server that has none (an upgrade from before bundles) makes it on open.
#include "bundle_file.hpp"
#include "central_impl.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

namespace minga {

namespace {

constexpr const char* key_file = "bundle_box.key";

void write_new_key(const std::filesystem::path& file, const std::string& text) {
    // O_EXCL: two servers starting at once never overwrite each other's key. A folder that
    // cannot be written (a read-only copy of a store) leaves the server without bundle keys:
    // bundles are then refused with a reason, everything else works.
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) return;  // made by someone else meanwhile (read theirs), or read-only
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::fsync(fd);
    ::close(fd);
    if (!ok) std::filesystem::remove(file);  // never leave half a key behind
}

}  // namespace

void central::impl::load_box_keys(const std::filesystem::path& dir) {
    const auto file = dir / key_file;
    if (!std::filesystem::exists(file)) {
        bundle_file::bytes pk(crypto_box_PUBLICKEYBYTES), sk(crypto_box_SECRETKEYBYTES);
        crypto_box_keypair(pk.data(), sk.data());
        write_new_key(file, bundle_file::to_hex(pk) + "\n" + bundle_file::to_hex(sk) + "\n");
        sodium_memzero(sk.data(), sk.size());
    }
    std::ifstream in(file);
    if (!in) return;
    std::string pk_hex, sk_hex;
    in >> pk_hex >> sk_hex;
    box_pk = bundle_file::from_hex(pk_hex);
    box_sk = bundle_file::from_hex(sk_hex);
    // A damaged key file is an operator's matter: refusing to start would stop online sync too.
    if (box_pk.size() != crypto_box_PUBLICKEYBYTES || box_sk.size() != crypto_box_SECRETKEYBYTES) {
        box_pk.clear();
        box_sk.clear();
    }
}

void central::impl::register_keys(const device_auth& dev, const std::vector<std::uint8_t>& sign_pk,
                                  const std::vector<std::uint8_t>& box_pk_in) {
    if (sign_pk.size() != crypto_sign_PUBLICKEYBYTES || box_pk_in.size() != crypto_box_PUBLICKEYBYTES)
        return;
    sql::transaction tx(*db);
    auto s = db->prepare(
        "UPDATE device SET sign_pk = ?1, box_pk = ?2 WHERE num = ?3 AND sign_pk IS NULL");
    s.bind(1, std::span<const std::uint8_t>(sign_pk))
        .bind(2, std::span<const std::uint8_t>(box_pk_in))
        .bind(3, dev.num)
        .exec();
    tx.commit();
}

const std::vector<std::uint8_t>& central::box_public_key() const noexcept {
    return p_->box_pk;
}

}  // namespace minga
