import { Center, Loader } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { api } from './api/api';
import type { Principal } from './api/api-types';
import { forgetApiKey, storedApiKey, storeApiKey } from './auth/api-key.store';
import { SessionProvider } from './auth/session.context';
import { ConsoleShell } from './layout/console-shell';
import { ConflictPage } from './pages/conflict.page';
import { ConflictsPage } from './pages/conflicts.page';
import { ContentPage } from './pages/content.page';
import { DeadLettersPage } from './pages/dead-letters.page';
import { DocumentPage } from './pages/document.page';
import { FleetPage } from './pages/fleet.page';
import { SignInPage } from './pages/sign-in.page';

/** Signed out: the sign-in page. Signed in: the sections, each on the public REST API. */
export function ConsoleApp() {
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [checking, setChecking] = useState(storedApiKey() !== null);

  useEffect(() => {
    if (storedApiKey() === null) return;
    api.whoami().then(
      (who) => {
        setPrincipal(who);
        setChecking(false);
      },
      () => {
        forgetApiKey();
        setChecking(false);
      },
    );
  }, []);

  if (checking) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Checking the session" />
      </Center>
    );
  }
  if (!principal) {
    return (
      <SignInPage
        onSignedIn={(key, who) => {
          storeApiKey(key);
          setPrincipal(who);
        }}
      />
    );
  }
  const signOut = () => {
    forgetApiKey();
    setPrincipal(null);
  };
  return (
    <SessionProvider session={{ principal, signOut }}>
      <ConsoleShell>
        <Routes>
          <Route path="/" element={<Navigate to="/conflicts" replace />} />
          <Route path="/conflicts" element={<ConflictsPage />} />
          <Route path="/conflicts/:id" element={<ConflictPage />} />
          <Route path="/fleet" element={<FleetPage />} />
          <Route path="/dead-letters" element={<DeadLettersPage />} />
          <Route path="/content" element={<ContentPage />} />
          <Route path="/content/:type/:id" element={<DocumentPage />} />
          <Route path="*" element={<Navigate to="/conflicts" replace />} />
        </Routes>
      </ConsoleShell>
    </SessionProvider>
  );
}
