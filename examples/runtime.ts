import { FetchHttpClient } from "@effect/platform"
import { Layer, ManagedRuntime } from "effect"
import { InstantlyLive, stopFollowUps } from "./usage.js"

// Built on the first call, then shared by every call: one client, so one rate limiter.
const runtime = ManagedRuntime.make(InstantlyLive.pipe(Layer.provide(FetchHttpClient.layer)))

// Call it from any handler: Express, Fastify, a queue consumer...
export const onReply = (leadId: string) => runtime.runPromise(stopFollowUps(leadId))

// When the process stops, after the last call: releases the client.
export const shutdown = () => runtime.dispose()
