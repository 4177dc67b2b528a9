/*
 * The static launcher of the docker-compose binary.
 *
 * The binary is this program followed by a payload and a trailer (release/pack.py
 * writes both): the payload holds PyInstaller's one-directory program (app/) and the
 * dynamic loader with every shared library it needs (lib/). At the first start the
 * payload is unpacked into a cache directory named after its hash; every start then
 * runs the bundled loader on the unpacked program, so later starts cost one exec.
 *
 * Where it unpacks: $COMPOSE_CORE_CACHE alone when it is set; otherwise the first of
 * $XDG_CACHE_HOME/compose-core (or ~/.cache/compose-core), .compose-core-cache next to
 * the binary, then a compose-core-UID directory in $TMPDIR, /var/tmp and /tmp, that can
 * be written and is not on a file system mounted noexec. An unpacking that is already
 * in any of them is used as it is.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define TRAILER_MAGIC "CCPAYLD1"
#define KEY_SIZE 40
#define ENTRY_HEADER_SIZE 16
#define MAX_CANDIDATES 8
#define STAGING_PREFIX ".unpacking-"
#define STALE_STAGING_SECONDS 600
#define LOADER "lib/ld-linux-x86-64.so.2"
#define PROGRAM "app/docker-compose"
#define LIBRARY_PATH "%s/app/_internal:%s/lib"

/* The last bytes of the binary (little-endian, as x86-64 is). */
struct trailer {
    uint64_t payload_offset;
    uint64_t payload_size;
    char key[KEY_SIZE]; /* VERSION-HASH, NUL-padded: the cache directory's name */
    char magic[8];
};

struct candidate {
    char base[PATH_MAX];
    int shared; /* a directory other users can write to: per-user and checked */
};

static const char *program_name = "docker-compose";

static void fail(const char *what, const char *path) {
    fprintf(stderr, "%s: %s %s: %s\n", program_name, what, path, strerror(errno));
    exit(1);
}

static int join(char *out, const char *dir, const char *name) {
    int length = snprintf(out, PATH_MAX, "%s/%s", dir, name);
    return length > 0 && length < PATH_MAX;
}

/* ------------------------------------------------------------ finding the payload */

static void find_self(char *out, const char *argv0) {
    ssize_t length = readlink("/proc/self/exe", out, PATH_MAX - 1);
    if (length > 0) {
        out[length] = '\0';
        return;
    }
    /* No /proc: argv[0] names the binary when it holds a slash. */
    if (strchr(argv0, '/') == NULL || realpath(argv0, out) == NULL) {
        fprintf(stderr,
                "%s: cannot find its own file: /proc is not mounted and it was not "
                "started by a path. Mount /proc or start it as /path/to/docker-compose.\n",
                program_name);
        exit(1);
    }
}

static void read_trailer(int fd, const char *self, struct trailer *trailer) {
    struct stat info;
    if (fstat(fd, &info) != 0) fail("cannot read", self);
    off_t at = info.st_size - (off_t)sizeof *trailer;
    if (at < 0 || pread(fd, trailer, sizeof *trailer, at) != (ssize_t)sizeof *trailer ||
        memcmp(trailer->magic, TRAILER_MAGIC, sizeof trailer->magic) != 0 ||
        trailer->payload_offset + trailer->payload_size > (uint64_t)at) {
        fprintf(stderr, "%s: %s carries no payload; the file is damaged or cut short. "
                "Download it again.\n", program_name, self);
        exit(1);
    }
    trailer->key[KEY_SIZE - 1] = '\0';
}

/* ------------------------------------------------------------ choosing a directory */

static int add_candidate(struct candidate *list, int count, const char *dir, const char *name,
                         int shared) {
    if (dir == NULL || dir[0] != '/' || count >= MAX_CANDIDATES) return count;
    if (!join(list[count].base, dir, name)) return count;
    list[count].shared = shared;
    return count + 1;
}

static int list_candidates(struct candidate *list, const char *self) {
    char shared_name[64], home_cache[PATH_MAX], self_dir[PATH_MAX];
    int count = 0;
    snprintf(shared_name, sizeof shared_name, "compose-core-%u", (unsigned)getuid());

    const char *explicit_dir = getenv("COMPOSE_CORE_CACHE");
    if (explicit_dir != NULL && explicit_dir[0] != '\0') {
        /* Set by the user: that directory and no other. */
        if (explicit_dir[0] != '/' || strlen(explicit_dir) >= PATH_MAX) {
            fprintf(stderr, "%s: COMPOSE_CORE_CACHE must be an absolute path, not '%s'.\n",
                    program_name, explicit_dir);
            exit(1);
        }
        strcpy(list[0].base, explicit_dir);
        list[0].shared = 0;
        return 1;
    }
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg != NULL && xdg[0] == '/') {
        count = add_candidate(list, count, xdg, "compose-core", 0);
    } else if (home != NULL && home[0] == '/' && join(home_cache, home, ".cache")) {
        count = add_candidate(list, count, home_cache, "compose-core", 0);
    }
    snprintf(self_dir, sizeof self_dir, "%s", self);
    *strrchr(self_dir, '/') = '\0';
    count = add_candidate(list, count, self_dir[0] ? self_dir : "/", ".compose-core-cache", 0);
    count = add_candidate(list, count, getenv("TMPDIR"), shared_name, 1);
    count = add_candidate(list, count, "/var/tmp", shared_name, 1);
    return add_candidate(list, count, "/tmp", shared_name, 1);
}

/* Programs on it may run: statvfs reports a noexec mount. */
static int not_noexec(const char *dir) {
    struct statvfs fs;
    return statvfs(dir, &fs) == 0 && !(fs.f_flag & ST_NOEXEC);
}

/* Writable by us, and programs on it may run. */
static int allows_running(const char *dir) {
    return access(dir, W_OK | X_OK) == 0 && not_noexec(dir);
}

/* The nearest directory of `path` that exists, checked before anything is made there. */
static int nearest_allows_running(const char *path) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    for (;;) {
        struct stat info;
        if (stat(dir, &info) == 0) return S_ISDIR(info.st_mode) && allows_running(dir);
        char *slash = strrchr(dir, '/');
        if (slash == NULL || slash == dir) return allows_running("/");
        *slash = '\0';
    }
}

static int make_parents(const char *path, mode_t mode) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *slash = strchr(dir + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) return -1;
        *slash = '/';
    }
    return mkdir(dir, mode) != 0 && errno != EEXIST ? -1 : 0;
}

/* A directory in /tmp and the like: ours alone, not a link someone else planted. */
static int is_private(const char *dir) {
    struct stat info;
    return lstat(dir, &info) == 0 && S_ISDIR(info.st_mode) && info.st_uid == getuid() &&
           (info.st_mode & 022) == 0;
}

static int usable(const struct candidate *candidate) {
    if (!nearest_allows_running(candidate->base)) return 0;
    if (make_parents(candidate->base, candidate->shared ? 0700 : 0755) != 0) return 0;
    if (candidate->shared && !is_private(candidate->base)) return 0;
    return allows_running(candidate->base);
}

static int unpacked_in(const struct candidate *candidate, const char *key, char *out) {
    char loader[PATH_MAX];
    struct stat info;
    if (!join(out, candidate->base, key) || !join(loader, out, LOADER)) return 0;
    if (candidate->shared && !is_private(candidate->base)) return 0;
    return stat(loader, &info) == 0 && not_noexec(out);
}

/* ------------------------------------------------------------ unpacking */

static void copy_bytes(int from, off_t at, int to, uint64_t size, const char *path) {
    while (size > 0) {
        ssize_t sent = sendfile(to, from, &at, size > (1u << 30) ? (1u << 30) : size);
        if (sent <= 0) fail("cannot write", path);
        size -= (uint64_t)sent;
    }
}

static int safe_relative(const char *path) {
    if (path[0] == '/' || path[0] == '\0') return 0;
    for (const char *part = path; part != NULL; part = strchr(part, '/')) {
        if (*part == '/') part++;
        if (strncmp(part, "..", 2) == 0 && (part[2] == '/' || part[2] == '\0')) return 0;
    }
    return 1;
}

/* One entry: kind ('d', 'f' or 'l'), a zero byte, the path's length (16 bits), the
 * mode (32 bits), the data's size (64 bits), the path, then the data (a file's bytes,
 * or a link's target). */
static void unpack_entry(int fd, off_t *at, const char *into, const char *self) {
    unsigned char header[ENTRY_HEADER_SIZE];
    char name[PATH_MAX], path[PATH_MAX], target[PATH_MAX];
    uint16_t name_size;
    uint32_t mode;
    uint64_t size;

    if (pread(fd, header, sizeof header, *at) != (ssize_t)sizeof header) fail("cannot read", self);
    memcpy(&name_size, header + 2, sizeof name_size);
    memcpy(&mode, header + 4, sizeof mode);
    memcpy(&size, header + 8, sizeof size);
    *at += ENTRY_HEADER_SIZE;
    if (name_size >= PATH_MAX || pread(fd, name, name_size, *at) != name_size) {
        fail("cannot read", self);
    }
    name[name_size] = '\0';
    *at += name_size;
    if (!safe_relative(name) || !join(path, into, name)) {
        errno = EINVAL;
        fail("holds a bad entry, in", self);
    }

    if (header[0] == 'd') {
        if (mkdir(path, mode & 07777) != 0) fail("cannot make", path);
    } else if (header[0] == 'l') {
        if (size >= PATH_MAX || pread(fd, target, size, *at) != (ssize_t)size) {
            fail("cannot read", self);
        }
        target[size] = '\0';
        if (symlink(target, path) != 0) fail("cannot make", path);
    } else {
        int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
        if (out < 0) fail("cannot make", path);
        copy_bytes(fd, *at, out, size, path);
        if (close(out) != 0) fail("cannot write", path);
    }
    *at += (off_t)size;
}

static int remove_entry(const char *path, const struct stat *info, int kind, struct FTW *walk) {
    (void)info, (void)kind, (void)walk;
    remove(path);
    return 0;
}

/* What an unpacking cut short (a start killed while it unpacked) left behind. */
static void remove_stale_staging(const char *base) {
    DIR *dir = opendir(base);
    if (dir == NULL) return;
    for (struct dirent *entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
        char path[PATH_MAX];
        struct stat info;
        if (strncmp(entry->d_name, STAGING_PREFIX, strlen(STAGING_PREFIX)) != 0) continue;
        if (!join(path, base, entry->d_name) || lstat(path, &info) != 0) continue;
        if (time(NULL) - info.st_mtime > STALE_STAGING_SECONDS) {
            nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        }
    }
    closedir(dir);
}

/* Unpacks into a fresh directory beside `target`, then renames it into place: two
 * starts at once each unpack, one rename wins and the other's copy goes.
 * TODO: the unpackings of earlier versions stay in the cache (23 MB each); removing
 * them needs a way to tell that no running docker-compose still loads files from them. */
static void unpack(int fd, const struct trailer *trailer, const char *base, const char *target,
                   const char *self) {
    char staging[PATH_MAX];
    remove_stale_staging(base);
    int length = snprintf(staging, sizeof staging, "%s/" STAGING_PREFIX "%s-XXXXXX", base,
                          trailer->key);
    if (length >= (int)sizeof staging) errno = ENAMETOOLONG;
    if (length >= (int)sizeof staging || mkdtemp(staging) == NULL) {
        fail("cannot make a directory in", base);
    }
    chmod(staging, 0755);

    off_t at = (off_t)trailer->payload_offset;
    off_t end = at + (off_t)trailer->payload_size;
    while (at < end) unpack_entry(fd, &at, staging, self);

    if (rename(staging, target) != 0) {
        int lost_race = errno == EEXIST || errno == ENOTEMPTY;
        nftw(staging, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        if (!lost_race) fail("cannot rename into", target);
    }
}

/* ------------------------------------------------------------ starting the program */

/* PyInstaller's one-directory bootloader restarts itself once, to set LD_LIBRARY_PATH,
 * unless these say that it already has: the loader's --library-path has done that job,
 * and without the restart no LD_LIBRARY_PATH reaches the programs docker-compose runs. */
static void skip_bootloader_restart(const char *program) {
    char process_name[16]; /* the kernel keeps 15 characters */
    snprintf(process_name, sizeof process_name, "%s", program_name);
    setenv("_PYI_ARCHIVE_FILE", program, 1);
    setenv("_PYI_PARENT_PROCESS_LEVEL", "-1", 1); /* "restarted": the main process */
    setenv("_PYI_LINUX_PROCESS_NAME", process_name, 1);
}

static void run(const char *unpacked, int argc, char **argv) {
    char dir[PATH_MAX], loader[PATH_MAX], program[PATH_MAX], library_path[2 * PATH_MAX + 32];
    /* The bootloader compares its own resolved path with _PYI_ARCHIVE_FILE. */
    if (realpath(unpacked, dir) == NULL) fail("cannot read", unpacked);
    join(loader, dir, LOADER);
    join(program, dir, PROGRAM);
    snprintf(library_path, sizeof library_path, LIBRARY_PATH, dir, dir);
    skip_bootloader_restart(program);

    /* The loader runs the program with these libraries only; no variable is set, so
     * the programs that docker-compose starts use their own libraries. */
    char **args = calloc((size_t)argc + 5, sizeof *args);
    if (args == NULL) fail("cannot start", program);
    args[0] = loader;
    args[1] = "--library-path";
    args[2] = library_path;
    args[3] = program;
    for (int i = 1; i < argc; i++) args[3 + i] = argv[i];
    execv(loader, args);
    fprintf(stderr, "%s: cannot start %s: %s. Remove %s and run it again.\n", program_name,
            loader, strerror(errno), dir);
    exit(1);
}

int main(int argc, char **argv) {
    char self[PATH_MAX], target[PATH_MAX];
    struct candidate candidates[MAX_CANDIDATES];
    struct trailer trailer;

    if (argc > 0 && argv[0][0] != '\0') {
        program_name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    }
    find_self(self, argc > 0 ? argv[0] : "");
    int count = list_candidates(candidates, self);

    int fd = open(self, O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("cannot read", self);
    read_trailer(fd, self, &trailer);

    for (int i = 0; i < count; i++) {
        if (unpacked_in(&candidates[i], trailer.key, target)) run(target, argc, argv);
    }
    if (trailer.payload_size == 0) {
        /* An image's launcher: its files were unpacked when the image was built. */
        fprintf(stderr, "%s: its files (%s) are in none of", program_name, trailer.key);
        for (int i = 0; i < count; i++) fprintf(stderr, " %s", candidates[i].base);
        fprintf(stderr, ". Leave COMPOSE_CORE_CACHE as the image sets it.\n");
        return 1;
    }
    for (int i = 0; i < count; i++) {
        if (!usable(&candidates[i]) || !join(target, candidates[i].base, trailer.key)) continue;
        unpack(fd, &trailer, candidates[i].base, target, self);
        run(target, argc, argv);
    }

    fprintf(stderr, "%s: found no directory to unpack its %.0f MB of libraries into: each "
            "of", program_name, trailer.payload_size / 1e6);
    for (int i = 0; i < count; i++) fprintf(stderr, " %s", candidates[i].base);
    fprintf(stderr, " is missing, not writable or on a file system mounted noexec. Set "
            "COMPOSE_CORE_CACHE to a writable directory where programs may run.\n");
    return 1;
}
