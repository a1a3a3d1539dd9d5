/**
 * The declared size of a streamed upload (a request header): a streamed request has no Content-Length, and the
 * server decides by size whether a report is ingested before answering or by a worker. `vigil upload` sends it.
 */
export const UPLOAD_LENGTH = 'x-upload-length';
