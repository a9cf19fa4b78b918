#include <cstdio>
int main() { std::puts("minga-server: not built yet"); return 1; }
