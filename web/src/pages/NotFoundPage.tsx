import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>
        There is nothing at this address, or you cannot see it. <Link to="/">Back to projects</Link>
      </p>
    </div>
  );
}
