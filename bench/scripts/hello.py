# bench/run, scenario runner_start: what `shpp hello.cpp` is compared with.
print("hello")
