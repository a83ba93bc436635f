// The right answer, but far too late: the judge says TLE.
#include <chrono>
#include <iostream>
#include <thread>

int Sum(int first, int second) {
    std::this_thread::sleep_for(std::chrono::seconds(10));
    return first + second;
}

int main() {
    int a = 0;
    int b = 0;
    std::cin >> a >> b;
    std::cout << Sum(a, b) << '\n';
}
