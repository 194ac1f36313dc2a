import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 559:
/***/ ((__unused_webpack_module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {


// UNUSED EXPORTS: balanceParts, hashInParallel

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __nccwpck_require__(136);
// EXTERNAL MODULE: ./shared/src/runtime/bundle-worker.ts + 3 modules
var bundle_worker = __nccwpck_require__(847);
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./actions/repro-verify/src/hashing/bounded-map.ts
// Runs an async step over many items with at most `limit` in flight, results in the items' order: how files are
// hashed in parallel with their reading without opening ten thousand files at once.
async function mapBounded(items, limit, step) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await step(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./actions/repro-verify/src/hashing/file-digest.ts
// Streamed file hashing: every file is read once, in 1 MiB chunks from a reused buffer, and hashed as it is read.
// Besides sha256 (outputs) it computes DVC's two md5 flavours, mirrored from dvc-data
// (src/dvc_data/hashfile/hash.py, istextfile.py at iterative/dvc-data b9ec41c):
// - 'md5': the raw md5 of the bytes (DVC 3, `hash: md5` in dvc.lock);
// - 'md5-dos2unix': DVC 2 (no `hash:` field): Dos2UnixHashStreamFile reads 1 MiB chunks (fobj_md5's chunk_size
//   2**20), looks at the first 512 bytes of EACH chunk with istextblock, and when they look like text replaces
//   b"\r\n" by b"\n" inside that chunk only (a CRLF split across two chunks is kept, exactly as DVC does).
// The first bytes of the file are kept (`head`) so callers can tell text from binary without reading it again.
// Cross-checked against test/fixtures/repro-verify/dvc_hash_reference.py in test/unit/repro-verify/dvc-hash.test.ts.



/** dvc-data's fobj_md5 chunk size (2**20); the dos2unix heuristic is applied per chunk of exactly this size. */
const CHUNK_BYTES = 1 << 20;
/** dvc-data's istextfile.DEFAULT_CHUNK_SIZE: how much of a chunk istextblock looks at. */
const TEXT_BLOCK_BYTES = 512;
const HEAD_BYTES = 8192;
// TEXT_CHARS = bytes(range(32, 127)) + b"\n\r\t\f\b"
const TEXT_CHARS = new Uint8Array(256);
for (let b = 32; b < 127; b++)
    TEXT_CHARS[b] = 1;
for (const b of [0x0a, 0x0d, 0x09, 0x0c, 0x08])
    TEXT_CHARS[b] = 1;
/** dvc-data's istextblock: empty is text; a NUL byte means binary; else at most 30% non-text bytes. */
function isTextBlock(block) {
    if (block.length === 0)
        return true;
    let nontext = 0;
    for (let i = 0; i < block.length; i++) {
        const b = block[i];
        if (b === 0)
            return false;
        if (TEXT_CHARS[b] === 0)
            nontext++;
    }
    return nontext / block.length <= 0.3;
}
/** Feeds one chunk to the hasher with b"\r\n" -> b"\n" (bytes.replace semantics: left to right, no overlap). */
function updateDos2Unix(hasher, chunk) {
    if (!isTextBlock(chunk.subarray(0, TEXT_BLOCK_BYTES))) {
        hasher.update(chunk);
        return;
    }
    let start = 0;
    for (;;) {
        const crlf = chunk.indexOf('\r\n', start, 'latin1');
        if (crlf < 0)
            break;
        hasher.update(chunk.subarray(start, crlf));
        start = crlf + 1; // keep the \n, drop the \r
    }
    hasher.update(chunk.subarray(start));
}
/** The hashers of one file: chunks in, one digest per algorithm out. */
class MultiHasher {
    hashers;
    size = 0;
    head;
    constructor(algorithms) {
        this.hashers = algorithms.map((algorithm) => ({ algorithm, hasher: (0,external_node_crypto_namespaceObject.createHash)(algorithm === 'sha256' ? 'sha256' : 'md5') }));
    }
    update(chunk) {
        this.head ??= Buffer.from(chunk.subarray(0, HEAD_BYTES));
        for (const { algorithm, hasher } of this.hashers) {
            if (algorithm === 'md5-dos2unix')
                updateDos2Unix(hasher, chunk);
            else
                hasher.update(chunk);
        }
        this.size += chunk.length;
    }
    digest() {
        const hashes = {};
        for (const { algorithm, hasher } of this.hashers)
            hashes[algorithm] = hasher.digest('hex');
        return { hashes, size: this.size, head: this.head ?? Buffer.alloc(0) };
    }
}
/**
 * Hashes one file in one pass under several algorithms at once (a DVC 2 and a DVC 3 entry naming the same folder
 * still read it once); `buffer` (CHUNK_BYTES) may be passed to reuse it across files. Every chunk but the last is
 * filled completely (a short read is not the end of the file) so chunk boundaries match DVC's.
 */
async function hashFileMulti(path, algorithms, buffer = Buffer.allocUnsafe(CHUNK_BYTES)) {
    const hasher = new MultiHasher(algorithms);
    const handle = await (0,promises_namespaceObject.open)(path, 'r');
    try {
        for (;;) {
            let filled = 0;
            while (filled < CHUNK_BYTES) {
                const { bytesRead } = await handle.read(buffer, filled, CHUNK_BYTES - filled, null);
                if (bytesRead === 0)
                    break;
                filled += bytesRead;
            }
            if (filled > 0)
                hasher.update(buffer.subarray(0, filled));
            if (filled < CHUNK_BYTES)
                break;
        }
    }
    finally {
        await handle.close();
    }
    return hasher.digest();
}
async function hashFile(path, algorithm, buffer) {
    const { hashes, size, head } = await hashFileMulti(path, [algorithm], buffer);
    return { hash: hashes[algorithm], size, head };
}
/**
 * Hashes many files with `concurrency` in flight (one buffer each): while one file's chunk is hashed, the others'
 * reads proceed in the thread pool. Results are in the order of `jobs`.
 */
async function file_digest_hashFilesMulti(jobs, concurrency = 8) {
    const buffers = [];
    return mapBounded(jobs, concurrency, async ({ path, algorithms }) => {
        const buffer = buffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
        try {
            return await hashFileMulti(path, algorithms, buffer);
        }
        finally {
            buffers.push(buffer);
        }
    });
}
async function hashFiles(jobs, concurrency = 8) {
    const digests = await file_digest_hashFilesMulti(jobs.map((j) => ({ path: j.path, algorithms: [j.algorithm] })), concurrency);
    return digests.map((d, i) => ({ hash: d.hashes[jobs[i].algorithm], size: d.size, head: d.head }));
}

;// CONCATENATED MODULE: ./actions/repro-verify/src/hashing/parallel-hash.ts
// Hashing spread over CPU cores: md5 runs at about one core's speed (~600 MB/s), as fast as md5sum, so a large DVC
// tree is split into byte-balanced parts hashed at once, one in this thread and the others in worker threads of the
// small worker bundle (dist/worker/index.js). Each file is still read once, streamed in 1 MiB chunks. Small sets
// (under 256 MB) stay in this thread. Under jest (no bundle) the worker parts run in this thread too.




const JOB = 'repro-verify-hash-files';
const WORKER_BUNDLES = ['./worker/index.js', '../../actions/repro-verify/dist/worker/index.js'].map((relative) => (0,external_node_url_.fileURLToPath)(new URL(relative, import.meta.url)));
/** Below this a worker's start costs more than it saves. */
const PARALLEL_FROM_BYTES = (/* unused pure expression or super */ null && (256 << 20));
const strip = (digests) => digests.map(({ hashes, size }) => ({ hashes, size }));
// Async reads with a few in flight measured faster than blocking reads on a busy 2-core machine (0.30 s against
// 0.45-0.67 s for 100 MB in 1,000 files; md5sum 0.60-0.68 s), so each part reads the same way as the one-thread path.
(0,bundle_worker/* registerWorkerJob */.p2)(JOB, async (input) => ({
    result: strip(await file_digest_hashFilesMulti(input.jobs, input.concurrency)),
}));
/** Parts of about equal bytes, keeping each file in one part (largest first into the lightest part). */
function balanceParts(items, parts) {
    const order = items.map((_, i) => i).sort((a, b) => items[b].size - items[a].size);
    const bins = Array.from({ length: parts }, () => ({ bytes: 0, members: [] }));
    for (const i of order) {
        const lightest = bins.reduce((min, bin) => (bin.bytes < min.bytes ? bin : min));
        lightest.members.push(i);
        lightest.bytes += items[i].size;
    }
    return bins.map((b) => b.members.sort((x, y) => x - y)).filter((m) => m.length > 0);
}
async function hashInParallel(jobs, options) {
    const total = jobs.reduce((s, j) => s + j.size, 0);
    const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
    if (threads === 1 || total < (options.parallelFromBytes ?? PARALLEL_FROM_BYTES) || jobs.length < 2)
        return strip(await hashFilesMulti(jobs, options.concurrency));
    const parts = balanceParts(jobs, threads);
    const perPart = Math.max(2, Math.ceil(options.concurrency / parts.length));
    const results = await Promise.all(parts.map((members, p) => {
        const input = { jobs: members.map((i) => jobs[i]), concurrency: perPart };
        return p === 0 ? hashFilesMulti(input.jobs, perPart).then(strip) : runJob(JOB, input, () => { }, WORKER_BUNDLES);
    }));
    const digests = new Array(jobs.length);
    parts.forEach((members, p) => members.forEach((i, k) => (digests[i] = results[p][k])));
    return digests;
}


/***/ }),

/***/ 88:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _shared_runtime_bundle_worker_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(847);
/* harmony import */ var _hashing_parallel_hash_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(559);
// Entry of the hashing worker bundle (dist/worker/index.js): the file hashing only, so a worker thread starts fast
// instead of loading the whole action.


await (0,_shared_runtime_bundle_worker_js__WEBPACK_IMPORTED_MODULE_0__/* .runWorkerJobIfAsked */ .ET)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 847:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  p2: () => (/* binding */ registerWorkerJob),
  ET: () => (/* binding */ runWorkerJobIfAsked)
});

// UNUSED EXPORTS: runJob

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __nccwpck_require__(136);
;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./shared/src/errors.ts
// One error path for the user's mistakes: a UserError carries a message meant for people (what was wrong, where,
// what was expected); the top-level runner prints it with core.setFailed and no stack trace. Anything else is a bug.
class errors_UserError extends Error {
    location;
    constructor(message, location) {
        super(message);
        this.location = location;
        this.name = 'UserError';
    }
}
/** A wrong action input: names the input, the value and what was expected. */
class InputError extends errors_UserError {
    input;
    value;
    expected;
    constructor(input, value, expected) {
        super(`Invalid value for input '${input}': '${value}'. Expected ${expected}.`);
        this.input = input;
        this.value = value;
        this.expected = expected;
        this.name = 'InputError';
    }
}
/** A problem in a data or configuration file: the message begins with file:line. */
class DataError extends errors_UserError {
    constructor(problem, location) {
        super(`${formatLocation(location)}: ${problem}`, location);
        this.name = 'DataError';
    }
}
function formatLocation(location) {
    let text = location.file;
    if (location.line !== undefined)
        text += `:${location.line}`;
    if (location.column !== undefined)
        text += ` (column '${location.column}')`;
    return text;
}
function isUserError(error) {
    return error instanceof errors_UserError;
}

;// CONCATENATED MODULE: ./shared/src/runtime/bundle-worker.ts
// Runs CPU-heavy jobs (profiling a dataset) in worker threads of the same bundle, so a 2-core runner reads the
// reference and the current data at once. A bundle's entry calls runWorkerJobIfAsked() first: in a worker it runs
// the job named in workerData and the entry does nothing else. Where no bundle exists (ts sources under jest),
// jobs run in the calling thread. A small bundle of just the jobs (an action's src/worker.ts) starts fastest.




const ROLE = 'mlopsActionsJob';
const jobs = new Map();
/** Makes a job runnable in workers; call at module load in the module that defines it. */
function registerWorkerJob(name, job) {
    jobs.set(name, job);
}
/** The bundle this code runs from, when it is a bundle (a .js file) rather than TypeScript sources. */
function bundlePath() {
    const path = fileURLToPath(import.meta.url);
    return path.endsWith('.js') && !process.env.JEST_WORKER_ID ? path : undefined;
}
/** In a job worker: runs the job, posts its result, and returns true so the entry point stops there. */
async function runWorkerJobIfAsked() {
    if (external_node_worker_threads_namespaceObject.isMainThread || !external_node_worker_threads_namespaceObject.workerData || typeof external_node_worker_threads_namespaceObject.workerData[ROLE] !== 'string')
        return false;
    const job = jobs.get(external_node_worker_threads_namespaceObject.workerData[ROLE]);
    let message;
    let transfer = [];
    try {
        if (!job)
            throw new Error(`no worker job named ${external_node_worker_threads_namespaceObject.workerData[ROLE]}`);
        const done = await job(external_node_worker_threads_namespaceObject.workerData.input, (label, done, total) => external_node_worker_threads_namespaceObject.parentPort.postMessage({ progress: [label, done, total] }));
        message = { ok: true, result: done.result };
        transfer = done.transfer ?? [];
    }
    catch (error) {
        const err = error;
        message = {
            ok: false,
            error: { user: err instanceof errors_UserError, message: err.message, location: err.location, stack: err.stack },
        };
    }
    external_node_worker_threads_namespaceObject.parentPort.postMessage(message, transfer);
    return true;
}
/**
 * Runs a registered job in a worker thread, or here when there is no bundle. The worker runs the first of
 * `workerBundles` that exists (a small bundle made for workers), else this same bundle.
 */
async function runJob(name, input, progress = () => { }, workerBundles = [], 
/** The worker's V8 limits, e.g. a young generation smaller than Node 24's default (see drift-check's profile job). */
resourceLimits) {
    const job = jobs.get(name);
    if (!job)
        throw new Error(`no worker job named ${name}`);
    const self = bundlePath();
    if (!self)
        return (await job(input, progress)).result;
    const bundle = workerBundles.find((path) => existsSync(path)) ?? self;
    return new Promise((resolve, reject) => {
        const worker = new Worker(bundle, { workerData: { [ROLE]: name, input }, resourceLimits });
        let settled = false;
        worker.on('message', (message) => {
            if (message.progress)
                return progress(...message.progress);
            settled = true;
            if (message.ok)
                resolve(message.result);
            else if (message.error.user)
                reject(new UserError(message.error.message, message.error.location));
            else
                reject(Object.assign(new Error(message.error.message), { stack: message.error.stack }));
        });
        worker.once('error', (error) => {
            settled = true;
            reject(error);
        });
        worker.once('exit', (code) => {
            if (!settled)
                reject(new Error(`worker for ${name} stopped with exit code ${code}`));
        });
    });
}


/***/ }),

/***/ 136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(88);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
