import { useState } from 'react';

type Props = { onSubmit: (user: string, password: string) => Promise<void> };

export function LoginForm({ onSubmit }: Props) {
  const [password, setPassword] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const apiKey = process.env.NEXT_PUBLIC_API_KEY_NAME ?? 'x-api-key';
  const passwordRegex = /^(?=.*[A-Z])(?=.*\d).{12,}$/;

  return (
    <form onSubmit={(e) => { e.preventDefault(); void onSubmit('me', password); }}>
      <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      {!passwordRegex.test(password) && <p>Password must be 12+ characters with a digit.</p>}
      <span data-header={apiKey}>{token ?? 'no token yet'}</span>
    </form>
  );
}
