int main(int argc, char**) { return argc == 1 ? 0 : 1; }
