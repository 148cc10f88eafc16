import { createContext, useContext } from "react";

/** The CSP nonce of this response (set on the server; browsers hide it from scripts, so it is empty after hydration). */
const NonceContext = createContext<string | undefined>(undefined);
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
