// shpp: Bash pipelines as C++ values.
//
//   using namespace shpp;
//   (cmd("ls", "-l") | cmd("grep", "cpp") > "out.txt").run();
//   std::string head = cmd("git", "rev-parse", "HEAD").read();
//
// Every exit status is checked (pipefail), no shell is involved, and errors say
// exactly what failed. See README.md for the Bash <-> shpp table.
#pragma once

#include "shpp/arg.hpp"
#include "shpp/command.hpp"
#include "shpp/error.hpp"
#include "shpp/function_stage.hpp"
#include "shpp/io.hpp"
#include "shpp/job.hpp"
#include "shpp/lines.hpp"
#include "shpp/parallel.hpp"
#include "shpp/quote.hpp"
#include "shpp/result.hpp"
#include "shpp/sh.hpp"
#include "shpp/uncaught.hpp"
#include "shpp/version.hpp"
