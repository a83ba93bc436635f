// Writes through a null pointer: the judge says RE (killed by SIGSEGV).
#include <iostream>

int Sum(int first, int second) {
    volatile int* result = nullptr;
    *result = first + second;
    return *result;
}

int main() {
    int a = 0;
    int b = 0;
    std::cin >> a >> b;
    std::cout << Sum(a, b) << '\n';
}
