// Literals sh() must refuse at compile time, one per CASE (tests.cmake
// compiles each and expects the message); CASE 0 must compile.
#include <string>
#include <vector>

#include <shpp/shpp.hpp>

using shpp::sh;

void literal() {
#if CASE == 0
  (void)sh("sort a b | uniq -u > c && echo {} || echo '{}' {{}}", 1);
#elif CASE == 1
  (void)sh("echo $HOME");
#elif CASE == 2
  (void)sh("echo ${x}");
#elif CASE == 3
  (void)sh("echo $((1 + 2))");
#elif CASE == 4
  (void)sh("echo `date`");
#elif CASE == 5
  (void)sh("echo {a,b}");
#elif CASE == 6
  (void)sh("sleep 1 &");
#elif CASE == 7
  (void)sh("ls |");
#elif CASE == 8
  (void)sh("make &&");
#elif CASE == 9
  (void)sh("echo 'x");
#elif CASE == 10
  (void)sh("(echo x");
#elif CASE == 11
  (void)sh("echo {}");
#elif CASE == 12
  (void)sh("echo x", 1);
#elif CASE == 13
  (void)sh("echo {}.bak", std::vector<std::string>{});
#elif CASE == 14
  (void)sh("cd /tmp && ls");
#elif CASE == 15
  (void)sh("if true; then ls; fi");
#elif CASE == 16
  (void)sh("cat << EOF");
#elif CASE == 17
  (void)sh("echo x 3> f");
#elif CASE == 18
  (void)sh("export X=1");
#elif CASE == 19
  (void)sh("echo \"x");
#elif CASE == 20
  (void)sh("echo x; }");
#elif CASE == 21
  (void)sh("echo a$(date)");
#endif
}
