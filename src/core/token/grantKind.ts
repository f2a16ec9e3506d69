// The OAuth grants the token client sends; a session remembers the one that started its chain.
export type GrantKind = 'client_credentials' | 'token_exchange' | 'authorization_code' | 'refresh_token';
