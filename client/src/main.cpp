#include <minga/client/cli.hpp>

#include <iostream>

int main(int argc, char** argv) {
    return minga::client::run_cli(argc, argv, std::cout, std::cerr);
}
