import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { HomePage } from '../pages/HomePage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { ReportPage } from '../pages/report/ReportPage';
import { ScopePage } from '../pages/ScopePage';
import { VulnerabilityPage } from '../pages/vulnerability/VulnerabilityPage';
import { Layout } from './Layout';
import { SessionProvider, useSession } from './session';

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<SignedIn><HomePage /></SignedIn>} />
          <Route path="/-/vulnerabilities" element={<SignedIn><div className="page"><h1>All vulnerabilities</h1><ReportPage scope={{ kind: 'instance' }} /></div></SignedIn>} />
          <Route path="/groups/*" element={<SignedIn><ScopePage kind="group" /></SignedIn>} />
          <Route path="/projects/*" element={<SignedIn><ScopePage kind="project" /></SignedIn>} />
          <Route path="/vulnerabilities/:id" element={<SignedIn><VulnerabilityPage /></SignedIn>} />
          <Route path="*" element={<SignedIn><NotFoundPage /></SignedIn>} />
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}

/** Pages behind sign-in send a signed-out visitor to the login page and back here afterwards. */
function SignedIn({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <Layout>{children}</Layout>;
}
