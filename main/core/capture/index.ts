/** The capture endpoint: Segment's HTTP Tracking API on 127.0.0.1, recording NDJSON. */
export { startCaptureSession, type CaptureListener, type CaptureSession, type CaptureSessionOptions, type CaptureStats } from './capture-session';
export { startCaptureServer, PortInUseError, CAPTURE_HOST, type CaptureServer, type RequestInfo } from './capture-server';
export { createEventFeed, createFunctionFeed, type CaptureFunction, type ChunkRunner, type FunctionFeed } from './function-feed';
export { handleTrackingRequest, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_EVENT_BYTES, type RejectedMessage, type TrackingAnswer } from './tracking-api';
export { deliveredEvent, type JsonObject } from './delivered-event';
export { describeEvent } from './event-summary';
export { NdjsonRecorder } from './ndjson-recorder';
