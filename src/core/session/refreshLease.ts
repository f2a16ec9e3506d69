// Who may send a session's refresh token right now. Within one process the refresh manager already
// runs one refresh at a time; a lease extends that to every process sharing the session store (two
// VS Code windows share one SecretStorage). See fileRefreshLease.ts for the cross-process one.

export interface HeldLease {
  /** True when another holder had the lease first and we waited for it: re-read the store. */
  readonly waited: boolean;
  /**
   * issuedAt of the last session a holder stored under this lease (not a secret). A store that shows
   * an older session has not yet caught up with another process's write: do not send from it.
   */
  readonly lastStoredIssuedAt?: number;
  /** `storedIssuedAt`: the session this holder just stored, for the next holder's check. */
  release(storedIssuedAt?: number): Promise<void>;
}

export interface RefreshLease {
  /** Waits until this caller alone may refresh the session; throws ERR_SESSION_BUSY after the wait limit. */
  acquire(profileId: string, signal?: AbortSignal): Promise<HeldLease>;
}

/** For a store no other process shares (the CLI, tests): the manager's in-process rule is enough. */
export const processLocalLease: RefreshLease = {
  acquire: () => Promise.resolve({ waited: false, release: () => Promise.resolve() }),
};
