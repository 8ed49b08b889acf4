#pragma once
// Opens the database a URL names, with the driver it needs. The daemon is
// the only module that links the drivers.

#include <memory>
#include <string>

#include "storage/database.h"

namespace parcours::daemon {

std::unique_ptr<storage::Database> openDatabase(const std::string& url, std::size_t poolSize);

}  // namespace parcours::daemon
