#!/usr/bin/env shpp
// A health check over a fleet: load, disk use of / and available memory of
// every host, over ssh, 16 hosts at a time, printed as one aligned table in
// the order the hosts were given.
//   ./fleet.cpp [SSH OPTIONS...] HOST...
//   ./fleet.cpp web1 web2 db1
//   ./fleet.cpp -F fleet_config -i ~/.ssh/ops web1 deploy@10.0.0.5:2222
// The words before the first host are ssh options, given to every host
// (`-F`, `-i`, `-J`, `-o`, `-p`, `-l` and ssh's other options that take a
// value take the next word). A host that cannot be reached (or whose check
// fails) gets a row too, its status saying why ("ssh web1: Connection
// refused"). Exit status: 0 when every host is ok, 1 when any is not, 2 for
// a usage error. The hosts need a POSIX shell, /proc/loadavg, df and free.

// The check: one ssh session per host, three commands in it.
command check(const std::string& destination, const std::vector<std::string>& options) {
  return sh("cut -d ' ' -f 1 /proc/loadavg; df -P / | tail -n 1; free -m").on(ssh(destination, options));
}

struct health {
  std::string status = "ok", load = "-", disk = "-", memory = "-";
};

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  return {std::istream_iterator<std::string>(in), {}};
}

// loadavg's first field; df -P's capacity column (the 5th); free's "available" column (the 7th of Mem:).
health read_health(const std::string& out) {
  health h;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const auto w = words(line);
    if (w.size() == 1 && h.load == "-") h.load = w[0];
    else if (w.size() == 6 && w[4].ends_with('%')) h.disk = w[4];
    else if (w.size() >= 7 && w[0] == "Mem:") h.memory = w[6] + " MiB";
  }
  return h;
}

// What failed: ssh's own error ("ssh web1: Permission denied (publickey)"), or the check's.
std::string why(const result& r) {
  for (const auto& s : r.stages)
    if (!s.ok) return s.cause.empty() ? s.describe() : s.cause;
  return "failed";
}

int main(int argc, char** argv) {
  static const std::string_view with_value = "BbcDEeFIiJLlmOopQRSWw";  // ssh's options that take a value
  std::vector<std::string> options, hosts;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (!hosts.empty() || a.size() < 2 || a[0] != '-') {
      hosts.emplace_back(a);
    } else {
      options.emplace_back(a);
      if (a.size() == 2 && with_value.find(a[1]) != a.npos && i + 1 < argc) options.emplace_back(argv[++i]);
    }
  }
  if (hosts.empty()) {
    fmt::print(stderr, "usage: {} [SSH OPTIONS...] HOST...\n", argv[0]);
    return 2;
  }

  // Every result, failures included: a report, not a stop at the first host that fails.
  const std::vector<result> results =
      parallel(hosts | std::views::transform([&](const std::string& h) { return check(h, options); }),
               {.jobs = 16, .fail_fast = false, .output = parallel_output::capture});

  std::vector<std::array<std::string, 5>> rows{{"HOST", "STATUS", "LOAD", "DISK /", "MEM AVAILABLE"}};
  bool all_ok = true;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    health h = results[i].ok() ? read_health(results[i].out) : health{.status = why(results[i])};
    all_ok = all_ok && results[i].ok();
    rows.push_back({hosts[i], h.status, h.load, h.disk, h.memory});
  }
  std::array<std::size_t, 5> width{};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  for (const auto& row : rows)  // load, disk and memory are numbers: right-aligned
    fmt::print("{:<{}}  {:<{}}  {:>{}}  {:>{}}  {:>{}}\n", row[0], width[0], row[1], width[1], row[2], width[2],
               row[3], width[3], row[4], width[4]);
  return all_ok ? 0 : 1;
}
