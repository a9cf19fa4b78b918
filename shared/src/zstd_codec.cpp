#include <minga/shared/zstd_codec.hpp>

#include <zstd.h>

#include <algorithm>
#include <memory>
#include <string>

namespace minga::zstd {

namespace {

struct dctx_deleter {
    void operator()(ZSTD_DCtx* p) const noexcept { ZSTD_freeDCtx(p); }
};

error not_zstd(const char* why) {
    return make_error(errc::bad_input, "Content-Encoding",
                      std::string("el cuerpo no es un flujo zstd válido: ") + why,
                      std::string("the body is not a valid zstd stream: ") + why);
}

}  // namespace

std::optional<std::vector<std::uint8_t>> compress_if_smaller(std::span<const std::uint8_t> in,
                                                             int level) {
    std::vector<std::uint8_t> out(ZSTD_compressBound(in.size()));
    const std::size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), level);
    if (ZSTD_isError(n) || n >= in.size()) return std::nullopt;
    out.resize(n);
    return out;
}

result<std::vector<std::uint8_t>> decompress(std::span<const std::uint8_t> in,
                                             std::size_t max_out) {
    const error too_large = make_error(
        errc::too_large, "Content-Encoding",
        "el cuerpo descomprimido supera el límite de " + std::to_string(max_out) + " bytes",
        "the decompressed body exceeds the limit of " + std::to_string(max_out) + " bytes");
    std::unique_ptr<ZSTD_DCtx, dctx_deleter> ctx(ZSTD_createDCtx());
    if (!ctx) throw std::bad_alloc();
    // Refuse absurd window sizes up front: they would make zstd allocate before we see output.
    ZSTD_DCtx_setParameter(ctx.get(), ZSTD_d_windowLogMax, 24);  // 16 MiB: twice the body limit

    std::vector<std::uint8_t> out;
    // Start from the declared size when the frame states one (and it fits), else a guess.
    const unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
    if (declared == ZSTD_CONTENTSIZE_ERROR) return not_zstd("cabecera inválida");
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > max_out) return too_large;
    std::size_t cap = declared != ZSTD_CONTENTSIZE_UNKNOWN
                          ? static_cast<std::size_t>(declared)
                          : std::min(max_out, std::max<std::size_t>(in.size() * 4, 4096));
    out.resize(std::max<std::size_t>(cap, 1));

    ZSTD_inBuffer src{in.data(), in.size(), 0};
    std::size_t produced = 0;
    std::size_t last = 0;
    while (src.pos < src.size || last != 0) {
        if (produced == out.size()) {
            if (out.size() >= max_out + 1) return too_large;
            out.resize(std::min(max_out + 1, out.size() * 2));
        }
        ZSTD_outBuffer dst{out.data(), out.size(), produced};
        last = ZSTD_decompressStream(ctx.get(), &dst, &src);
        if (ZSTD_isError(last)) return not_zstd(ZSTD_getErrorName(last));
        produced = dst.pos;
        if (produced > max_out) return too_large;
        if (src.pos == src.size && last != 0 && dst.pos < dst.size) {
            return not_zstd("flujo truncado");  // zstd wants input we do not have
        }
    }
    out.resize(produced);
    return out;
}

}  // namespace minga::zstd
