/**
 * A stream mapped through an effect, a bounded number of elements at a time, for the many-request
 * operations (`Leads.removeManyFromSubsequence`). `Stream.mapEffect` with `concurrency` does the same,
 * but in Effect 3.22 it races every element against an error signal and interrupts the loser, which
 * costs 0.1 to 1 ms an element (measured: 20,000 trivial elements take 2 to 17 s); here an element
 * costs one fiber, one permit and one queue slot, about as much as `Effect.forEach` with
 * `concurrency`. It also reports every element under way before a failure of the input ends the stream.
 *
 * @since 0.2.0
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"

/**
 * Maps every element of `input` with `f`, at most `concurrency` at a time, in input order (`ordered`)
 * or as each completes. The input is pulled only as permits free up, so memory stays bounded. When the
 * input fails, the elements taken before are mapped and emitted, then the stream fails with the error;
 * when `haltWhen` completes, likewise, but the stream then ends. Interrupting the stream interrupts the
 * mapping of every element under way.
 *
 * @since 0.2.0
 * @internal
 */
export const mapConcurrently = <A, B, E, R, R2>(
  input: Stream.Stream<A, E, R>,
  f: (a: A) => Effect.Effect<B, never, R2>,
  options: {
    readonly concurrency: number
    readonly ordered: boolean
    /** When this completes, no further element is taken: those under way are mapped and emitted, then the stream ends. */
    readonly haltWhen?: Effect.Effect<unknown> | undefined
  }
): Stream.Stream<B, E, R | R2> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const fibers = yield* FiberSet.make()
    const permits = yield* Effect.makeSemaphore(options.concurrency)
    // What the output takes next: an element, an element to wait for (ordered), or the end (None) or
    // the input's failure (Some).
    const output = yield* Queue.bounded<Effect.Effect<B, Option.Option<E>>>(options.concurrency)
    // In input order, an element's permit is held until the output takes it, so the queue (as large as the
    // permits) always has room: starting an element never blocks, and a halt cannot cut one in half.
    const start = (a: A): Effect.Effect<void, never, R2> =>
      options.ordered
        ? Effect.flatMap(Deferred.make<B>(), (done) =>
          Effect.zipRight(
            Queue.offer(output, Deferred.await(done)),
            FiberSet.run(fibers, Effect.interruptible(Effect.flatMap(f(a), (b) => Deferred.succeed(done, b))))
          ))
        : FiberSet.run(
          fibers,
          Effect.interruptible(
            Effect.ensuring(Effect.flatMap(f(a), (b) => Queue.offer(output, Effect.succeed(b))), permits.release(1))
          )
        )
    const end = (last: Effect.Effect<never, Option.Option<E>>) =>
      Effect.zipRight(permits.take(options.concurrency), Queue.offer(output, last))
    // Once a permit is taken the element is started, uninterruptibly (its own fiber is interruptible): a
    // halt (or the end of the stream) stops the feed only while it waits for a permit or for the input.
    const feed = Stream.runForEach(
      input,
      (a) => Effect.uninterruptibleMask((restore) => Effect.zipRight(restore(permits.take(1)), start(a)))
    )
    // However the feed ends (input done, halted, failed, died or interrupted), the elements under way are
    // emitted first, then the stream ends the same way: a defect in the input never leaves it hanging.
    yield* (options.haltWhen === undefined ? feed : Effect.raceFirst(feed, Effect.asVoid(options.haltWhen))).pipe(
      Effect.matchCauseEffect({
        onFailure: (cause) => end(Effect.failCause(Cause.map(cause, Option.some))),
        onSuccess: () => end(Effect.fail(Option.none()))
      }),
      FiberSet.run(fibers)
    )
    // Takes what is there (at least one) and emits it as one chunk; the end, or how the input ended, is
    // raised by the pull after the one that emitted the elements before it.
    let last: Option.Option<Cause.Cause<Option.Option<E>>> = Option.none()
    const pull: Effect.Effect<Chunk.Chunk<B>, Option.Option<E>> = Effect.suspend(() =>
      Option.isSome(last) ? Effect.failCause(last.value) : Effect.flatMap(
        Queue.takeBetween(output, 1, options.concurrency),
        (items) =>
          Effect.flatMap(Effect.forEach(items, Effect.exit), (results) => {
            const elements: Array<B> = []
            for (const result of results) {
              if (Exit.isFailure(result)) {
                last = Option.some(result.cause)
                break
              }
              elements.push(result.value)
            }
            const emitted = elements.length > 0 ? Effect.succeed(Chunk.unsafeFromArray(elements)) : pull
            return options.ordered && elements.length > 0
              ? Effect.zipRight(permits.release(elements.length), emitted)
              : emitted
          })
      )
    )
    return Stream.repeatEffectChunkOption(pull)
  }))
