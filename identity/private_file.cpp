#include "identity/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "core/error.h"

namespace parcours::identity {

namespace {

[[noreturn]] void failure(core::ErrorCode code, std::string_view what, const std::string& action,
                          const std::string& path) {
  throw core::Error(code, "cannot " + action + " " + std::string(what) + " " + path + ": " +
                              std::error_code(errno, std::generic_category()).message());
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }
  // Closes now, reporting the error that a destructor would have to swallow.
  bool close() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string folderOf(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return folder.empty() ? std::string(".") : folder.string();
}

void createFolders(const std::string& folder, std::string_view what) {
  std::filesystem::path partial;
  for (const auto& part : std::filesystem::path(folder)) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      failure(core::ErrorCode::internal, what, "create the folder of the", partial.string());
    }
  }
}

// Makes a rename or a new entry in `folder` durable.
void syncFolder(const std::string& folder) {
  FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

// Writes everything, fsyncs and closes; on failure removes `path` and throws.
void fill(FileDescriptor& fd, const std::string& path, std::string_view bytes, std::string_view what,
          const std::string& shownPath) {
  if (writeAll(fd.get(), bytes) && ::fsync(fd.get()) == 0 && fd.close()) return;
  const int saved = errno;
  ::unlink(path.c_str());
  errno = saved;
  failure(core::ErrorCode::internal, what, "write", shownPath);
}

}  // namespace

std::optional<std::string> readPrivateFile(const std::string& path, std::size_t maxBytes, std::string_view what) {
  const std::string name(what);
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    failure(core::ErrorCode::bad_request, what, "read", path);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) failure(core::ErrorCode::bad_request, what, "read", path);
  if (!S_ISREG(info.st_mode)) throw core::Error(core::ErrorCode::bad_request, name + " " + path + " is not a regular file");
  if ((info.st_mode & 077) != 0) {
    throw core::Error(core::ErrorCode::bad_request, name + " " + path + " must not be readable by others (chmod 600)");
  }
  const auto tooLarge = [&] {
    return core::Error(core::ErrorCode::bad_request, name + " " + path + " is too large to be a " + name);
  };
  if (static_cast<std::size_t>(info.st_size) > maxBytes) throw tooLarge();
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failure(core::ErrorCode::bad_request, what, "read", path);
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > maxBytes) throw tooLarge();
  }
  return text;
}

bool createPrivateFile(const std::string& path, std::string_view bytes, std::string_view what) {
  const std::string folder = folderOf(path);
  createFolders(folder, what);
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST) return false;
    failure(core::ErrorCode::internal, what, "create", path);
  }
  fill(fd, path, bytes, what, path);
  syncFolder(folder);
  return true;
}

void replacePrivateFile(const std::string& path, std::string_view bytes, std::string_view what) {
  const std::string folder = folderOf(path);
  createFolders(folder, what);
  std::string temp = folder + "/." + std::filesystem::path(path).filename().string() + ".XXXXXX";
  FileDescriptor fd(::mkstemp(temp.data()));  // O_EXCL, mode 0600
  if (fd.get() < 0) failure(core::ErrorCode::internal, what, "create a temporary file for the", path);
  if (::fchmod(fd.get(), 0600) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    failure(core::ErrorCode::internal, what, "write", path);
  }
  fill(fd, temp, bytes, what, path);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    failure(core::ErrorCode::internal, what, "write", path);
  }
  syncFolder(folder);
}

}  // namespace parcours::identity
