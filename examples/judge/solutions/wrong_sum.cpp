// Subtracts instead of adding: the judge says WA.
#include <iostream>

int Sum(int first, int second) {
    return first - second;
}

int main() {
    int a = 0;
    int b = 0;
    std::cin >> a >> b;
    std::cout << Sum(a, b) << '\n';
}
