// Every request the extension makes goes through the extension host's global fetch: VS Code patches it
// with the user's proxy settings (http.proxy, http.noProxy, http.proxyAuthorization, proxy sign-in) and
// the operating system's certificates (http.systemCertificates), as for VS Code's own requests. The
// embedded emulator's loopback listener is the only server; nothing here bundles its own HTTP client.
import { fetchTransport } from '../core/http/fetchTransport.ts';

export const hostTransport = fetchTransport();
