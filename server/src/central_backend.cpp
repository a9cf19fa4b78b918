#include <minga/server/central_backend.hpp>

namespace minga::server {

namespace {

class central_backend final : public store_backend {
public:
    explicit central_backend(central c) : c_(std::move(c)) {}
    std::vector<std::uint8_t> handle(std::span<const std::uint8_t> request,
                                     std::string_view bearer) override {
        return c_.handle(request, bearer);
    }
    central* store() noexcept override { return &c_; }

private:
    central c_;
};

}  // namespace

std::unique_ptr<store_backend> make_central_backend(central c) {
    return std::make_unique<central_backend>(std::move(c));
}

}  // namespace minga::server
