#include <minga/server/cli.hpp>

#include <iostream>

int main(int argc, char** argv) {
    return minga::server::run_cli(argc, argv, std::cout, std::cerr);
}
