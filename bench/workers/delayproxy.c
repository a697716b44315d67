/* TCP delay proxy on 127.0.0.1: every chunk, in both directions, is forwarded DELAY_MS after it was read (order kept,
 * no bandwidth limit), so a round trip through it costs about 2 x DELAY_MS.
 * Usage: delayproxy LISTEN_PORT TARGET_PORT DELAY_MS   (prints "ready" when listening)
 *
 * Why C and not Python: the proxies stand for the network between the workers and the servers, which costs the
 * workers' machine nothing; on the benchmark's two cores an asyncio proxy burnt 1.2-1.6 s of CPU per run of 8,000
 * messages, taken from the workers it measures. This one is a single epoll loop that costs a few per cent of that.
 * Build: cc -O2 -o delayproxy delayproxy.c */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 262144

typedef struct chunk { int64_t due_ns; size_t len, sent; struct chunk *next; char data[]; } chunk; /* len 0: EOF */

/* One direction of one connection: bytes read from `from` wait in the queue until due, then go to `to`. */
typedef struct flow { int from, to; chunk *head, *tail; int read_done, write_done; struct flow *peer; } flow;

static int64_t delay_ns;
static int epfd;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void tune(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* The flows are registered by their read side; writes are retried on the timer, so no EPOLLOUT is needed. */
static void watch(flow *f) {
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = f };
  epoll_ctl(epfd, EPOLL_CTL_ADD, f->from, &ev);
}

static void close_pair(flow *f) {
  flow *p = f->peer;
  for (flow *x = f; x; x = (x == f ? p : NULL)) {
    while (x->head) { chunk *c = x->head; x->head = c->next; free(c); }
  }
  epoll_ctl(epfd, EPOLL_CTL_DEL, f->from, NULL);
  epoll_ctl(epfd, EPOLL_CTL_DEL, p->from, NULL);
  close(f->from);
  close(p->from);
  free(f);
  free(p);
}

#define MAXFLOWS 4096
static flow *flows[MAXFLOWS];
static int nflows;

static void forget(flow *f) {
  for (int i = 0; i < nflows; i++)
    if (flows[i] == f || flows[i] == f->peer) { flows[i] = flows[--nflows]; i--; }
}

static void on_readable(flow *f) {
  for (;;) {
    chunk *c = malloc(sizeof(chunk) + CHUNK);
    ssize_t n = read(f->from, c->data, CHUNK);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) { free(c); return; }
    c->due_ns = now_ns() + delay_ns;
    c->len = n > 0 ? (size_t)n : 0;
    c->sent = 0;
    c->next = NULL;
    if (n > 0 && (size_t)n < CHUNK / 2) c = realloc(c, sizeof(chunk) + (size_t)n);
    if (f->tail) f->tail->next = c; else f->head = c;
    f->tail = c;
    if (n <= 0) { /* EOF or error: stop reading, forward the end when due */
      f->read_done = 1;
      epoll_ctl(epfd, EPOLL_CTL_DEL, f->from, NULL);
      return;
    }
  }
}

/* Sends what is due; returns the earliest time something is still waiting (or INT64_MAX). */
static int64_t pump(flow *f, int64_t now) {
  while (f->head && f->head->due_ns <= now && !f->write_done) {
    chunk *c = f->head;
    if (c->len == 0) { shutdown(f->to, SHUT_WR); f->write_done = 1; }
    else {
      ssize_t n = send(f->to, c->data + c->sent, c->len - c->sent, MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return now + 1000000; /* full: retry in 1 ms */
      if (n < 0) { f->write_done = 1; break; }
      c->sent += (size_t)n;
      if (c->sent < c->len) return now + 1000000;
    }
    f->head = c->next;
    if (!f->head) f->tail = NULL;
    free(c);
  }
  if (f->write_done) /* the other side is gone: what is left cannot be delivered */
    while (f->head) { chunk *c = f->head; f->head = c->next; free(c); }
  if (!f->head) f->tail = NULL;
  return f->head ? f->head->due_ns : INT64_MAX;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: delayproxy LISTEN_PORT TARGET_PORT DELAY_MS\n"); return 2; }
  int listen_port = atoi(argv[1]), target_port = atoi(argv[2]);
  delay_ns = (int64_t)(atof(argv[3]) * 1000000);
  struct sockaddr_in at = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  at.sin_port = htons((uint16_t)listen_port);
  if (bind(ls, (struct sockaddr *)&at, sizeof at) || listen(ls, 512)) { perror("listen"); return 1; }
  epfd = epoll_create1(0);
  struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL };
  epoll_ctl(epfd, EPOLL_CTL_ADD, ls, &lev);
  printf("ready\n");
  fflush(stdout);
  struct epoll_event evs[64];
  int64_t next_due = INT64_MAX;
  for (;;) {
    int64_t now = now_ns();
    int timeout = next_due == INT64_MAX ? -1 : (int)((next_due - now + 999999) / 1000000);
    if (timeout < 0 && next_due != INT64_MAX) timeout = 0;
    int n = epoll_wait(epfd, evs, 64, timeout);
    for (int i = 0; i < n; i++) {
      flow *f = evs[i].data.ptr;
      if (f) { on_readable(f); continue; }
      int cs = accept(ls, NULL, NULL);
      if (cs < 0) continue;
      int ss = socket(AF_INET, SOCK_STREAM, 0);
      at.sin_port = htons((uint16_t)target_port);
      if (connect(ss, (struct sockaddr *)&at, sizeof at) || nflows + 2 > MAXFLOWS) { close(cs); close(ss); continue; }
      tune(cs);
      tune(ss);
      flow *up = calloc(1, sizeof(flow)), *down = calloc(1, sizeof(flow));
      up->from = cs; up->to = ss; up->peer = down;
      down->from = ss; down->to = cs; down->peer = up;
      flows[nflows++] = up;
      flows[nflows++] = down;
      watch(up);
      watch(down);
    }
    now = now_ns();
    next_due = INT64_MAX;
    for (int i = 0; i < nflows; i++) {
      flow *f = flows[i];
      int64_t due = pump(f, now);
      if (due < next_due) next_due = due;
      /* Both directions ended and delivered: the connection is done. */
      if (f->read_done && f->peer->read_done && !f->head && !f->peer->head) {
        forget(f);
        close_pair(f);
        i = -1; /* the array changed; start over (rare: once per connection) */
        next_due = INT64_MAX;
      }
    }
  }
}
