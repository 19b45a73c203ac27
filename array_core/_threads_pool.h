/*
 * array_core's thread pool (included by _threads.pyx alone; other modules
 * reach it through the cdef functions of _threads.pxd).
 *
 * One process-wide pool of POSIX threads, started on the first parallel
 * call and grown on demand, never shrunk.  ac_parallel_range() cuts
 * [0, n) into chunks and runs a task on each, the calling thread taking
 * chunks too; chunks are handed out one at a time (a core another process
 * holds does fewer), and the task's outputs must not depend on the cut,
 * which is what makes results bit-identical for any thread count.
 *
 * No oversubscription: one call at a time uses the pool (a call that finds
 * it busy runs serially on its own thread), a call from inside a task runs
 * serially, and a call counts the other large calls running at the same
 * time against its thread count.  A forked child starts with no pool.
 *
 * ARRAY_CORE_NO_THREADS (or a platform without pthreads) builds the serial
 * fallback: the same functions, every call runs on the caller's thread.
 */
#ifndef ARRAY_CORE_THREADS_POOL_H
#define ARRAY_CORE_THREADS_POOL_H

#include <stddef.h>
#include <Python.h>

#if !defined(ARRAY_CORE_NO_THREADS) && (defined(__unix__) || defined(__APPLE__))
#define ARRAY_CORE_HAVE_THREADS 1
#include <pthread.h>
#include <signal.h>
#else
#define ARRAY_CORE_HAVE_THREADS 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define AC_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define AC_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define AC_ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_RELAXED)
#define AC_EXPORT __attribute__((visibility("default")))
#else
#define AC_LOAD(p) (*(p))
#define AC_STORE(p, v) (*(p) = (v))
#define AC_ADD(p, v) (*(p) += (v))
#define AC_EXPORT
#endif

/* A task runs items [start, stop) of a range; 0, or a status of its own. */
typedef int (*ac_range_task)(void *ctx, Py_ssize_t start, Py_ssize_t stop);

enum {
    AC_MAX_THREADS = 256,
    /* Chunks per thread: enough that a thread slowed by another process
     * hands its share to the others, few enough to keep chunks large. */
    AC_CHUNKS_PER_THREAD = 8,
    AC_MAX_CHUNKS = AC_MAX_THREADS * AC_CHUNKS_PER_THREAD,
};

/* The thread count (set_num_threads); 1 until _threads.pyx sets it. */
static int ac_num_threads = 1;
/* Calls in ac_parallel_range asking for threads, pool or not. */
static int ac_active_calls = 0;
/* Set while this thread runs a task (a pool worker, or a caller inside
 * its own parallel call): calls made from there run serially.  A pthread
 * key, not a __thread variable: LeakSanitizer's tracer (GCC 12) crashes on
 * the dynamic TLS of a dlopen'ed module's pool threads. */
#if ARRAY_CORE_HAVE_THREADS
static pthread_key_t ac_task_key;
static pthread_once_t ac_task_key_once = PTHREAD_ONCE_INIT;

static void ac_make_task_key(void) { (void)pthread_key_create(&ac_task_key, NULL); }

static int ac_in_task(void)
{
    pthread_once(&ac_task_key_once, ac_make_task_key);
    return pthread_getspecific(ac_task_key) != NULL;
}

static void ac_set_in_task(int on)
{
    pthread_once(&ac_task_key_once, ac_make_task_key);
    (void)pthread_setspecific(ac_task_key, on ? (void *)1 : NULL);
}
#else
static int ac_in_task(void) { return 0; }
#endif

/* The C names threadpoolctl's controller calls (_thread_control.py). */
AC_EXPORT int array_core_get_num_threads(void)
{
    return AC_LOAD(&ac_num_threads);
}

AC_EXPORT void array_core_set_num_threads(int n)
{
    AC_STORE(&ac_num_threads, n < 1 ? 1 : (n > AC_MAX_THREADS ? AC_MAX_THREADS : n));
}

static int ac_pool_has_threads(void) { return ARRAY_CORE_HAVE_THREADS; }

/* The threads a call may use for `parts` independent parts: 1 inside a
 * task, else the thread count less the other large calls running now. */
static int ac_threads_for(Py_ssize_t parts)
{
    int n, others;
    if (!ARRAY_CORE_HAVE_THREADS || parts < 2 || ac_in_task())
        return 1;
    n = AC_LOAD(&ac_num_threads);
    others = AC_LOAD(&ac_active_calls);
    n -= others;
    if (n > parts)
        n = (int)parts;
    return n < 1 ? 1 : n;
}

/* Bounds of chunk c of n_chunks over [0, n): as even as integers allow. */
static Py_ssize_t ac_chunk_start(Py_ssize_t n, int n_chunks, int c)
{
    /* n * c overflows only past 2**63 / AC_MAX_CHUNKS items: split first. */
    return (n / n_chunks) * c + (n % n_chunks) * c / n_chunks;
}

#if ARRAY_CORE_HAVE_THREADS

typedef struct {
    ac_range_task task;
    void *ctx;
    Py_ssize_t n;
    int n_chunks;
    int next_chunk;      /* the next chunk to hand out */
    int chunks_done;
    int helpers_wanted;  /* pool threads that may join (the caller is one more) */
    int helpers_joined;
    int status[AC_MAX_CHUNKS];
} ac_job;

static pthread_mutex_t ac_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ac_work_posted = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ac_work_done = PTHREAD_COND_INITIALIZER;
/* Held by the one call that uses the pool; others find it taken. */
static pthread_mutex_t ac_pool_user = PTHREAD_MUTEX_INITIALIZER;
static ac_job *ac_current = NULL;      /* under ac_lock */
static unsigned long ac_generation = 0; /* under ac_lock: one per job */
static int ac_started = 0;              /* pool threads; under ac_lock */
static int ac_atfork_registered = 0;

/* Takes chunks of `job` until none is left.  Called and returns with
 * ac_lock held; after it returns the caller must not touch `job`. */
static void ac_run_chunks(ac_job *job)
{
    for (;;) {
        int c = job->next_chunk;
        Py_ssize_t start, stop;
        int status;
        if (c >= job->n_chunks)
            return;
        job->next_chunk = c + 1;
        start = ac_chunk_start(job->n, job->n_chunks, c);
        stop = ac_chunk_start(job->n, job->n_chunks, c + 1);
        pthread_mutex_unlock(&ac_lock);
        status = job->task(job->ctx, start, stop);
        pthread_mutex_lock(&ac_lock);
        job->status[c] = status;
        if (++job->chunks_done == job->n_chunks)
            pthread_cond_signal(&ac_work_done);
    }
}

static void *ac_worker(void *arg)
{
    unsigned long seen = (unsigned long)(size_t)arg;
    ac_set_in_task(1);
    pthread_mutex_lock(&ac_lock);
    for (;;) {
        ac_job *job;
        while (ac_generation == seen)
            pthread_cond_wait(&ac_work_posted, &ac_lock);
        seen = ac_generation;
        job = ac_current;
        if (job != NULL && job->helpers_joined < job->helpers_wanted) {
            job->helpers_joined++;
            ac_run_chunks(job);
        }
    }
    return NULL;
}

/* In a forked child the pool's threads do not exist and its locks may be
 * held by threads that do not exist either: start again from nothing. */
static void ac_after_fork_child(void)
{
    pthread_mutex_init(&ac_lock, NULL);
    pthread_mutex_init(&ac_pool_user, NULL);
    pthread_cond_init(&ac_work_posted, NULL);
    pthread_cond_init(&ac_work_done, NULL);
    ac_current = NULL;
    ac_started = 0;
    ac_active_calls = 0;
}

/* Starts pool threads until there are `wanted`; under ac_lock.  Returns how
 * many there are (fewer when the system refuses more). */
static int ac_start_threads(int wanted)
{
    sigset_t all, old;
    if (!ac_atfork_registered) {
        if (pthread_atfork(NULL, NULL, ac_after_fork_child) != 0)
            return ac_started;  /* without it a forked child could hang */
        ac_atfork_registered = 1;
    }
    /* Signals go to Python's threads, never to a pool thread. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    while (ac_started < wanted) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, ac_worker,
                           (void *)(size_t)ac_generation) != 0)
            break;
        pthread_detach(thread);
        ac_started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return ac_started;
}

/* Runs `task` over [0, n) on up to `threads` threads (the caller is one of
 * them).  Returns 0, or the status of the first chunk (by position) whose
 * task failed: the first failure in range order when each task stops at
 * its own first, whatever the thread count. */
static int ac_parallel_range(ac_range_task task, void *ctx, Py_ssize_t n, int threads)
{
    ac_job job;
    int c, helpers;
    if (threads > AC_MAX_THREADS)
        threads = AC_MAX_THREADS;
    if (threads < 2 || n < 2 || ac_in_task())
        return n > 0 ? task(ctx, 0, n) : 0;
    AC_ADD(&ac_active_calls, 1);
    if (pthread_mutex_trylock(&ac_pool_user) != 0) {
        c = task(ctx, 0, n);  /* another call has the pool */
        AC_ADD(&ac_active_calls, -1);
        return c;
    }
    pthread_mutex_lock(&ac_lock);
    helpers = ac_start_threads(threads - 1);
    if (helpers > threads - 1)
        helpers = threads - 1;
    job.task = task;
    job.ctx = ctx;
    job.n = n;
    job.n_chunks = (helpers + 1) * AC_CHUNKS_PER_THREAD;
    if (job.n_chunks > n)
        job.n_chunks = (int)n;
    job.next_chunk = 0;
    job.chunks_done = 0;
    job.helpers_wanted = helpers;
    job.helpers_joined = 0;
    if (helpers > 0) {
        ac_current = &job;
        ac_generation++;
        pthread_cond_broadcast(&ac_work_posted);
    }
    ac_set_in_task(1);
    ac_run_chunks(&job);
    ac_set_in_task(0);
    while (job.chunks_done < job.n_chunks)
        pthread_cond_wait(&ac_work_done, &ac_lock);
    ac_current = NULL;
    pthread_mutex_unlock(&ac_lock);
    AC_ADD(&ac_active_calls, -1);
    pthread_mutex_unlock(&ac_pool_user);
    for (c = 0; c < job.n_chunks; c++)
        if (job.status[c] != 0)
            return job.status[c];
    return 0;
}

static int ac_pool_size(void)
{
    int n;
    pthread_mutex_lock(&ac_lock);
    n = ac_started;
    pthread_mutex_unlock(&ac_lock);
    return n;
}

#else  /* serial fallback */

static int ac_parallel_range(ac_range_task task, void *ctx, Py_ssize_t n, int threads)
{
    (void)threads;
    return n > 0 ? task(ctx, 0, n) : 0;
}

static int ac_pool_size(void) { return 0; }

#endif

#endif  /* ARRAY_CORE_THREADS_POOL_H */
