#include <cstdio>
int main() { std::puts("minga: not built yet"); return 1; }
